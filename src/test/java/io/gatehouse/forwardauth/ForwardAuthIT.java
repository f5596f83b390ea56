package io.gatehouse.forwardauth;

@io.quarkus.test.junit.QuarkusIntegrationTest
class ForwardAuthIT extends ForwardAuthTest {
}
