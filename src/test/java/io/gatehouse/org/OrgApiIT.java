package io.gatehouse.org;

@io.quarkus.test.junit.QuarkusIntegrationTest
class OrgApiIT extends OrgApiTest {
}
