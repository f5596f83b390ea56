package io.gatehouse.login;

/** Sessions and their immediate end, against the packaged jar. */
@io.quarkus.test.junit.QuarkusIntegrationTest
class SessionsApiIT extends SessionsApiTest {
}
