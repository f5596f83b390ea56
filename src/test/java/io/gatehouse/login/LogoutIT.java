package io.gatehouse.login;

@io.quarkus.test.junit.QuarkusIntegrationTest
class LogoutIT extends LogoutTest {
}
