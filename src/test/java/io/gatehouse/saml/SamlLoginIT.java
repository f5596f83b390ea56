package io.gatehouse.saml;

/** The SAML HTTP suite against the packaged jar (OpenSAML's service files and resources as shipped). */
@io.quarkus.test.junit.QuarkusIntegrationTest
class SamlLoginIT extends SamlLoginTest {
}
