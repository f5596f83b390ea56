package io.gatehouse.login;

@io.quarkus.test.junit.QuarkusIntegrationTest
class PasswordLoginIT extends PasswordLoginTest {
}
