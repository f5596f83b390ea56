package io.gatehouse.org;

@io.quarkus.test.junit.QuarkusIntegrationTest
class TenantIsolationIT extends TenantIsolationTest {
}
