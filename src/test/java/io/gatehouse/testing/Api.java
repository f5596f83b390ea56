package io.gatehouse.testing;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;

/** Calls of the Gatehouse API that many tests need. */
public final class Api {

    /** The operator token of the test profile. */
    public static final String ADMIN_TOKEN = "gatehouse-test-admin-token";
    public static final String PASSWORD = "correct horse battery staple";

    private Api() {
    }

    public static RequestSpecification operator() {
        return as(ADMIN_TOKEN);
    }

    public static RequestSpecification as(String token) {
        return given().header("Authorization", "Bearer " + token).contentType(ContentType.JSON);
    }

    /** A fresh org code, so tests never share data. */
    public static String newCode(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Creates an org; returns its code. */
    public static String createOrg(String prefix) {
        String code = newCode(prefix);
        operator().body(Map.of("code", code, "name", "Org " + code)).post("/v1/orgs").then().statusCode(201);
        return code;
    }

    /** Creates a password user in the org with these roles; returns its id. */
    public static String createUser(String org, String username, String... roles) {
        return operator().body(Map.of("username", username, "email", username + "@example.com",
                        "password", PASSWORD, "roles", java.util.List.of(roles)))
                .post("/v1/orgs/" + org + "/users").then().statusCode(201).extract().path("id");
    }

    /** Signs a password user in; returns the access token. */
    public static String login(String username) {
        return given().contentType(ContentType.JSON).body(Map.of("username", username, "password", PASSWORD))
                .post("/v1/login").then().statusCode(200).extract().path("access_token");
    }

    /** {@code times} password sign-ins with a wrong password, each refused with 401. */
    public static void failLogins(String username, int times) {
        for (int i = 0; i < times; i++) {
            given().contentType(ContentType.JSON).body(Map.of("username", username, "password", "wrong password!!"))
                    .post("/v1/login").then().statusCode(401);
        }
    }

    /** A new org with one password user of these roles, signed in; returns the access token. */
    public static String tokenOfNewUser(String prefix, String... roles) {
        String org = createOrg(prefix);
        String username = newCode("u");
        createUser(org, username, roles);
        return login(username);
    }

    /** Creates an org with an admin; returns the admin's token. */
    public static String adminOf(String org) {
        String username = "admin-" + UUID.randomUUID().toString().substring(0, 8);
        createUser(org, username, "admin");
        return login(username);
    }

    /** Adds an Azure AD connection with a client secret; returns its id. */
    public static String createAzureConnection(String org, String secret) {
        return operator().body(Map.of("type", "azure-ad", "tenant_id", UUID.randomUUID().toString(),
                        "client_id", UUID.randomUUID().toString(), "client_secret", secret))
                .post("/v1/orgs/" + org + "/connections").then().statusCode(201).extract().path("id");
    }
}
