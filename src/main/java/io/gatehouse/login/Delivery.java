package io.gatehouse.login;

/** How a finished sign-in reaches whoever started it. */
public sealed interface Delivery {

    /** A browser: a session cookie and a redirect to an allowed {@code return_to} (or the default page). */
    record Browser(String returnTo) implements Delivery {
    }

    /**
     * An OAuth-style client (mobile app, SPA) registered in config: a one-time code on its redirect URI,
     * traded at {@code /v1/token} with the PKCE verifier.
     */
    record Client(String clientId, String redirectUri, String state, String codeChallenge) implements Delivery {
    }

    /**
     * A test sign-in from setup ({@link TestSignIns}): no session, a report of what the IdP sent and what a
     * sign-in would do, shown on the setup page. Only the browser that started the test can finish it.
     */
    record Test(java.util.UUID testId) implements Delivery {
    }
}
