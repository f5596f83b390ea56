package io.gatehouse.user;

@io.quarkus.test.junit.QuarkusIntegrationTest
class UserApiIT extends UserApiTest {
}
