package io.gatehouse.saml;

import io.gatehouse.testing.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

/** OpenSAML starts beside the rest of Gatehouse; readiness names it, and says UP only once it is ready. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class OpenSamlStartupTest {

    @Test
    void readinessSaysSamlIsReady() {
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'saml' }.status", equalTo("UP"));
        org.junit.jupiter.api.Assertions.assertTrue(OpenSaml.initialized());
    }
}
