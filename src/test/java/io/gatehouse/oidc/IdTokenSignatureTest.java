package io.gatehouse.oidc;

import io.gatehouse.testing.Api;
import io.gatehouse.testing.Db;
import io.gatehouse.testing.ForgingIdp;
import io.gatehouse.testing.PostgresResource;
import io.gatehouse.testing.TestBrowser;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import static io.gatehouse.testing.Api.operator;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/** An ID token signed by a key the IdP does not publish (same kid) is refused; signed honestly, accepted. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class IdTokenSignatureTest {

    private static ForgingIdp idp;

    @BeforeAll
    static void start() throws Exception {
        idp = new ForgingIdp();
    }

    @AfterAll
    static void stop() {
        idp.close();
    }

    private static String org() {
        String org = Api.createOrg("sig");
        operator().body(Map.of("type", "oidc", "issuer", idp.issuer(), "client_id", "gatehouse", "client_secret", "s"))
                .post("/v1/orgs/" + org + "/connections").then().statusCode(201);
        return org;
    }

    private static HttpResponse<String> signIn(TestBrowser browser, String org) throws Exception {
        return browser.follow("http://localhost:" + RestAssured.port + "/v1/sso/start?login=" + org
                + "&return_to=https%3A%2F%2Fapp.example.com%2F");
    }

    @Test
    void honestlySignedIdTokenSignsIn() throws Exception {
        idp.forge(false);
        TestBrowser browser = new TestBrowser("http://localhost:" + RestAssured.port);
        assertEquals(303, signIn(browser, org()).statusCode());
        assertNotNull(browser.setCookie("gatehouse_session"));
    }

    @Test
    void idTokenSignedByAnUnpublishedKeyIsRefused() throws Exception {
        idp.forge(true);
        assertRefusedAsAnInvalidIdToken();
    }

    @Test
    void anUnsignedIdTokenIsAnInvalidIdTokenNotABadState() throws Exception {
        idp.unsigned(true);
        assertRefusedAsAnInvalidIdToken();
    }

    /** A sign-in through the IdP as it now behaves: refused as id_token_invalid, nothing created. */
    private static void assertRefusedAsAnInvalidIdToken() throws Exception {
        String org = org();
        String before = Db.snapshot();
        TestBrowser browser = new TestBrowser("http://localhost:" + RestAssured.port);
        HttpResponse<String> last = signIn(browser, org);
        assertEquals(401, last.statusCode());
        assertEquals(null, browser.setCookie("gatehouse_session"));
        assertEquals(before, Db.snapshot());
        assertEquals(List.of("id_token_invalid"),
                Db.column("select reason from login_attempts a join orgs o on o.id = a.org_id where o.code = ?", org));
    }
}
