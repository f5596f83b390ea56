package io.gatehouse.setup;

/** The same against the packaged application: the guides are read from the jar. */
@io.quarkus.test.junit.QuarkusIntegrationTest
class SetupIT extends SetupTest {
}
