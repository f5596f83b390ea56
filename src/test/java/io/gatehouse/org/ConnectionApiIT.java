package io.gatehouse.org;

@io.quarkus.test.junit.QuarkusIntegrationTest
class ConnectionApiIT extends ConnectionApiTest {
}
