package io.gatehouse.forwardauth;

import io.gatehouse.testing.Api;
import io.gatehouse.testing.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

@QuarkusTest
@WithTestResource(PostgresResource.class)
class ForwardAuthTest {

    private String org;
    private String userId;
    private String username;
    private String token;

    @BeforeEach
    void signedIn() {
        org = Api.createOrg("fwd");
        username = Api.newCode("u");
        userId = Api.createUser(org, username, "member", "dispatcher");
        token = Api.login(username);
    }

    @Test
    void bearerTokenGivesTheIdentityHeaders() {
        String orgId = Api.operator().get("/v1/orgs/" + org).then().statusCode(200).extract().path("id");
        given().header("Authorization", "Bearer " + token).get("/v1/auth/verify")
                .then().statusCode(200)
                .header("X-Auth-User-Id", userId)
                .header("X-Auth-Username", username)
                .header("X-Auth-Email", username + "@example.com")
                .header("X-Auth-Org", org)
                .header("X-Auth-Roles", "member,dispatcher")
                .header("X-Auth-Org-Id", orgId);
    }

    @Test
    void sessionCookieWorksToo() {
        given().cookie("gatehouse_session", token).get("/v1/auth/verify").then().statusCode(200).header("X-Auth-Org", org);
    }

    @Test
    void anyMethodAndSubPath() {
        given().header("Authorization", "Bearer " + token).post("/v1/auth/verify/some/upstream/path").then().statusCode(200);
        given().header("Authorization", "Bearer " + token).delete("/v1/auth/verify").then().statusCode(200);
    }

    @Test
    void apiCallerWithoutTokenGets401() {
        given().get("/v1/auth/verify").then().statusCode(401).header("WWW-Authenticate", startsWith("Bearer"));
    }

    @Test
    void garbageTokenGets401() {
        given().header("Authorization", "Bearer nope").get("/v1/auth/verify").then().statusCode(401);
    }

    @Test
    void browserIsSentToLoginWithTheOriginalUrlOfAnAllowedHost() {
        given().redirects().follow(false).header("Accept", "text/html,application/xhtml+xml")
                .header("X-Forwarded-Proto", "https").header("X-Forwarded-Host", "app.example.com")
                .header("X-Forwarded-Uri", "/reports?id=7")
                .get("/v1/auth/verify")
                .then().statusCode(302)
                .header("Location", "http://localhost:8080/login?return_to=https%3A%2F%2Fapp.example.com%2Freports%3Fid%3D7");
    }

    @Test
    void originalUrlHeaderIsUsedAndSubdomainsMatch() {
        given().redirects().follow(false).header("Accept", "text/html")
                .header("X-Original-URL", "https://crm.apps.example.com/x")
                .get("/v1/auth/verify")
                .then().statusCode(302)
                .header("Location", "http://localhost:8080/login?return_to=https%3A%2F%2Fcrm.apps.example.com%2Fx");
    }

    @Test
    void originalUrlOfAnotherHostIsDropped() {
        given().redirects().follow(false).header("Accept", "text/html")
                .header("X-Original-URL", "https://evil.example.net/phish")
                .get("/v1/auth/verify")
                .then().statusCode(302).header("Location", "http://localhost:8080/login");
    }

    @Test
    void browserRedirectCanBeTurnedOffForNginx() {
        given().redirects().follow(false).header("Accept", "text/html").get("/v1/auth/verify?redirect=false")
                .then().statusCode(401).header("Location", nullValue());
    }

    @Test
    void requiredOrgMustMatch() {
        given().header("Authorization", "Bearer " + token).get("/v1/auth/verify?org=" + org).then().statusCode(200);
        given().header("Authorization", "Bearer " + token).get("/v1/auth/verify?org=other-org").then().statusCode(403);
    }

    @Test
    void requiredRoleMustBeHeld() {
        given().header("Authorization", "Bearer " + token).get("/v1/auth/verify?role=admin,dispatcher").then().statusCode(200);
        given().header("Authorization", "Bearer " + token).get("/v1/auth/verify?role=admin").then().statusCode(403);
    }

    @Test
    void subPathsShareOneMetricSeries() {
        String path = "/v1/auth/verify/metrics-probe-" + Api.newCode("p");
        given().header("Authorization", "Bearer " + token).get(path).then().statusCode(200);
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics, not(containsString(path)));
        assertThat(metrics, containsString("http_server_requests_seconds_count{method=\"GET\",outcome=\"SUCCESS\",status=\"200\",uri=\"/v1/auth/verify/*\"}"));
    }

    @Test
    void responsesAreNotCached() {
        given().header("Authorization", "Bearer " + token).get("/v1/auth/verify").then().header("Cache-Control", equalTo("no-store"));
    }
}
