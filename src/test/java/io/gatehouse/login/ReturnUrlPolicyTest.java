package io.gatehouse.login;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReturnUrlPolicyTest {

    private static final List<String> ALLOWED = List.of("https://app.example.com/", "https://other.example.com/portal");

    @Test
    void allowedHostAndPath() {
        assertTrue(ReturnUrlPolicy.isAllowed("https://app.example.com/dashboard?x=1", ALLOWED));
        assertTrue(ReturnUrlPolicy.isAllowed("https://other.example.com/portal/page", ALLOWED));
        assertTrue(ReturnUrlPolicy.isAllowed("/v1/me", ALLOWED));
    }

    @Test
    void otherHost() {
        assertFalse(ReturnUrlPolicy.isAllowed("https://evil.example.com/", ALLOWED));
    }

    @Test
    void lookalikeHost() {
        assertFalse(ReturnUrlPolicy.isAllowed("https://app.example.com.evil.com/", ALLOWED));
    }

    @Test
    void otherScheme() {
        assertFalse(ReturnUrlPolicy.isAllowed("http://app.example.com/", ALLOWED));
    }

    @Test
    void otherPort() {
        assertFalse(ReturnUrlPolicy.isAllowed("https://app.example.com:8443/", ALLOWED));
    }

    @Test
    void pathOutsideTheAllowedPath() {
        assertFalse(ReturnUrlPolicy.isAllowed("https://other.example.com/portalx", ALLOWED));
        assertFalse(ReturnUrlPolicy.isAllowed("https://other.example.com/portal/../admin", ALLOWED));
    }

    @Test
    void schemeRelative() {
        assertFalse(ReturnUrlPolicy.isAllowed("//evil.example.com/", ALLOWED));
    }

    @Test
    void backslashTrick() {
        assertFalse(ReturnUrlPolicy.isAllowed("/\\evil.example.com", ALLOWED));
    }

    @Test
    void userInfoTrick() {
        assertFalse(ReturnUrlPolicy.isAllowed("https://app.example.com@evil.example.com/", ALLOWED));
    }

    @Test
    void javascriptUrl() {
        assertFalse(ReturnUrlPolicy.isAllowed("javascript:alert(1)", ALLOWED));
    }
}
