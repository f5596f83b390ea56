package io.gatehouse.platform;

/** The database outage under the packaged jar. */
@io.quarkus.test.junit.QuarkusIntegrationTest
class DatabaseOutageIT extends DatabaseOutageTest {
}
