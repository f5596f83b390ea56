package io.gatehouse.token;

@io.quarkus.test.junit.QuarkusIntegrationTest
class TokenIT extends TokenTest {
}
