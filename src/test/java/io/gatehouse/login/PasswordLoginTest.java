package io.gatehouse.login;

import io.gatehouse.testing.Api;
import io.gatehouse.testing.Db;
import io.gatehouse.testing.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.gatehouse.testing.Api.operator;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@WithTestResource(PostgresResource.class)
class PasswordLoginTest {

    @Test
    void rightPasswordGivesABearerTokenAndASession() {
        String org = Api.createOrg("login");
        String username = Api.newCode("jane");
        String id = Api.createUser(org, username, "admin");
        given().contentType(ContentType.JSON).body(Map.of("username", username, "password", Api.PASSWORD))
                .post("/v1/login")
                .then().statusCode(200)
                .body("token_type", equalTo("Bearer"))
                .body("expires_in", equalTo(900))
                .body("access_token", notNullValue());
        assertEquals(1, Db.count("select count(*) from sessions where user_id = ?::uuid and amr = 'pwd'", id));
        assertEquals(1, Db.count("select count(*) from login_attempts where user_id = ?::uuid and outcome = 'success'", id));
    }

    @Test
    void usernameIsCaseInsensitive() {
        String org = Api.createOrg("case");
        String username = Api.newCode("mixed");
        Api.createUser(org, username, "member");
        given().contentType(ContentType.JSON).body(Map.of("username", username.toUpperCase(), "password", Api.PASSWORD))
                .post("/v1/login").then().statusCode(200);
    }

    @Test
    void wrongPasswordAndUnknownUserLookAndTakeAlike() {
        String org = Api.createOrg("timing");
        String username = Api.newCode("known");
        Api.createUser(org, username, "member");
        String unknown = Api.newCode("nobody");
        List<Long> wrong = new ArrayList<>();
        List<Long> missing = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            wrong.add(timedRefusal(username));
            missing.add(timedRefusal(unknown));
        }
        long wrongMedian = median(wrong);
        long missingMedian = median(missing);
        // Both pay for one Argon2id verification: within a factor of three of each other even on a noisy machine.
        assertTrue(missingMedian * 3 > wrongMedian && wrongMedian * 3 > missingMedian,
                "wrong password " + wrongMedian + " ms, unknown user " + missingMedian + " ms");
        assertEquals(7, Db.count("select count(*) from login_attempts where login_hint = ? and reason = 'unknown_user'", unknown));
        assertEquals(7, Db.count("select count(*) from login_attempts where login_hint = ? and reason = 'wrong_password'", username));
    }

    @Test
    void ssoEnforcedOrgRefusesPasswordsWithAReason() {
        String org = Api.createOrg("enforced");
        String username = Api.newCode("jane");
        Api.createUser(org, username, "member");
        operator().body(Map.of("sso_enforced", true)).patch("/v1/orgs/" + org).then().statusCode(200);
        String attempt = given().contentType(ContentType.JSON).body(Map.of("username", username, "password", Api.PASSWORD))
                .post("/v1/login")
                .then().statusCode(403).contentType("application/problem+json")
                .body("type", equalTo("urn:gatehouse:problem:sso-required"))
                .body("attempt_id", notNullValue())
                .extract().path("attempt_id");
        assertEquals("sso_enforced", Db.value("select reason from login_attempts where id = ?::uuid", attempt));
        assertEquals(0, Db.count("select count(*) from sessions s join users u on u.id = s.user_id where u.username = ?", username));
    }

    @Test
    void disabledUserIsRefused() {
        String org = Api.createOrg("disabled");
        String username = Api.newCode("gone");
        String id = Api.createUser(org, username, "member");
        operator().body(Map.of("status", "disabled")).patch("/v1/orgs/" + org + "/users/" + id).then().statusCode(200);
        String attempt = given().contentType(ContentType.JSON).body(Map.of("username", username, "password", Api.PASSWORD))
                .post("/v1/login").then().statusCode(401).extract().path("attempt_id");
        assertEquals("user_disabled", Db.value("select reason from login_attempts where id = ?::uuid", attempt));
        assertEquals(0, Db.count("select count(*) from sessions where user_id = ?::uuid", id));
    }

    @Test
    void tenFailuresLockTheUsernameEvenForTheRightPassword() {
        String org = Api.createOrg("lock");
        String username = Api.newCode("locked");
        String id = Api.createUser(org, username, "member");
        String bystander = Api.newCode("other");
        Api.createUser(org, bystander, "member");
        Api.failLogins(username, 10);
        Response locked = attempt(username, Api.PASSWORD);
        locked.then().statusCode(429).contentType("application/problem+json")
                .body("type", equalTo("urn:gatehouse:problem:too-many-attempts"))
                .body("detail", equalTo("Too many failed sign-ins for this username. Try again in 15 minutes, or ask your administrator."))
                .body("attempt_id", notNullValue());
        long retryAfter = Long.parseLong(locked.header("Retry-After"));
        assertTrue(retryAfter > 800 && retryAfter <= 900, "Retry-After " + retryAfter);
        String attemptId = locked.path("attempt_id");
        assertEquals("too_many_failures", Db.value("select reason from login_attempts where id = ?::uuid", attemptId));
        assertEquals(0, Db.count("select count(*) from sessions where user_id = ?::uuid", id));
        // The lockout is this username's only.
        attempt(bystander, Api.PASSWORD).then().statusCode(200);
    }

    @Test
    void unknownUsernamesLockAlike() {
        String unknown = Api.newCode("ghost");
        Api.failLogins(unknown, 10);
        attempt(unknown.toUpperCase(), Api.PASSWORD).then().statusCode(429)
                .body("type", equalTo("urn:gatehouse:problem:too-many-attempts"));
    }

    @Test
    void nineFailuresDoNotLock() {
        String username = memberOfNewOrg("nine");
        Api.failLogins(username, 9);
        attempt(username, Api.PASSWORD).then().statusCode(200);
    }

    @Test
    void aSuccessfulSignInStartsTheCountAgain() {
        String username = memberOfNewOrg("reset");
        Api.failLogins(username, 9);
        attempt(username, Api.PASSWORD).then().statusCode(200);
        attempt(username, "wrong password!!").then().statusCode(401);
        attempt(username, Api.PASSWORD).then().statusCode(200);
    }

    @Test
    void theLockoutEndsWhenTheFailuresLeaveTheWindow() {
        String username = memberOfNewOrg("unlock");
        Api.failLogins(username, 10);
        attempt(username, Api.PASSWORD).then().statusCode(429);
        // Fifteen minutes later (the default window), as far as the log is concerned.
        Db.column("update login_attempts set created_at = created_at - interval '15 minutes 1 second'"
                + " where lower(login_hint) = lower(?) returning 1", username);
        attempt(username, Api.PASSWORD).then().statusCode(200);
    }

    @Test
    void anAdminSeesAndEndsALockout() {
        String org = Api.createOrg("unlockapi");
        String username = Api.newCode("u");
        String id = Api.createUser(org, username, "member");
        String admin = Api.newCode("adm");
        Api.createUser(org, admin, "admin");
        var asAdmin = Api.as(Api.login(admin));
        String lockout = "/v1/orgs/" + org + "/users/" + id + "/lockout";
        asAdmin.get(lockout).then().statusCode(200).body("locked", equalTo(false)).body("locked_until", nullValue());
        Api.failLogins(username, 10);
        String until = Api.as(Api.login(admin)).get(lockout).then().statusCode(200)
                .body("locked", equalTo(true)).extract().path("locked_until");
        assertTrue(Instant.parse(until).isAfter(Instant.now().plus(Duration.ofMinutes(14))), "locked until " + until);
        Api.as(Api.login(admin)).delete(lockout).then().statusCode(200).body("locked", equalTo(false));
        // The failures before the unlock no longer count: one more does not lock again.
        attempt(username, "wrong password!!").then().statusCode(401);
        attempt(username, Api.PASSWORD).then().statusCode(200);
    }

    @Test
    void onlyTheOrgsAdminsMayEndALockout() {
        String org = Api.createOrg("unlockauth");
        String username = Api.newCode("u");
        String id = Api.createUser(org, username, "member");
        String member = Api.newCode("m");
        Api.createUser(org, member, "member");
        String otherAdmin = Api.newCode("oa");
        Api.createUser(Api.createOrg("elsewhere"), otherAdmin, "admin");
        String lockout = "/v1/orgs/" + org + "/users/" + id + "/lockout";
        String memberToken = Api.login(member);
        String otherAdminToken = Api.login(otherAdmin);
        Api.failLogins(username, 10);
        Api.as(memberToken).delete(lockout).then().statusCode(403);
        Api.as(otherAdminToken).delete(lockout).then().statusCode(404);
        operator().delete("/v1/orgs/" + org + "/users/" + java.util.UUID.randomUUID() + "/lockout").then().statusCode(404);
        given().delete(lockout).then().statusCode(401);
        assertEquals(0, Db.count("select count(*) from users where password_unlocked_at is not null and id = ?::uuid", id));
        attempt(username, Api.PASSWORD).then().statusCode(429);
    }

    @Test
    void missingPasswordIsAFieldError() {
        given().contentType(ContentType.JSON).body(Map.of("username", "someone")).post("/v1/login")
                .then().statusCode(400).body("errors.field", contains("password"));
    }

    @Test
    void meShowsTheSignedInUserAndTheirOrg() {
        String org = Api.createOrg("me");
        String username = Api.newCode("me");
        String id = Api.createUser(org, username, "member");
        Api.as(Api.login(username)).get("/v1/me")
                .then().statusCode(200)
                .body("user.id", equalTo(id))
                .body("user.username", equalTo(username))
                .body("org.code", equalTo(org))
                .body("session_id", notNullValue());
    }

    @Test
    void attemptLogIsNewestFirstAndPaged() {
        String org = Api.createOrg("attempts");
        String username = Api.newCode("a");
        Api.createUser(org, username, "member");
        timedRefusal(username);
        Api.login(username);
        String next = operator().queryParam("limit", 1).get("/v1/orgs/" + org + "/login-attempts")
                .then().statusCode(200)
                .body("data[0].outcome", equalTo("success"))
                .body("data[0].protocol", equalTo("password"))
                .extract().path("next_cursor");
        operator().queryParam("limit", 1).queryParam("after", next).get("/v1/orgs/" + org + "/login-attempts")
                .then().statusCode(200)
                .body("data[0].outcome", equalTo("failure"))
                .body("data[0].reason", equalTo("wrong_password"));
        operator().queryParam("after", "not-a-cursor").get("/v1/orgs/" + org + "/login-attempts").then().statusCode(400);
    }

    /** A new org with one password member; returns the username. */
    private static String memberOfNewOrg(String prefix) {
        String username = Api.newCode("u");
        Api.createUser(Api.createOrg(prefix), username, "member");
        return username;
    }

    private static Response attempt(String username, String password) {
        return given().contentType(ContentType.JSON).body(Map.of("username", username, "password", password)).post("/v1/login");
    }

    private static long timedRefusal(String username) {
        long start = System.nanoTime();
        Response response = given().contentType(ContentType.JSON)
                .body(Map.of("username", username, "password", "not the password at all")).post("/v1/login");
        long millis = (System.nanoTime() - start) / 1_000_000;
        response.then().statusCode(401)
                .body("type", equalTo("urn:gatehouse:problem:invalid-credentials"))
                .body("detail", equalTo("Invalid username or password."));
        return millis;
    }

    private static long median(List<Long> values) {
        return values.stream().sorted().toList().get(values.size() / 2);
    }
}
