package io.gatehouse.login;

/** How a finished sign-in reaches whoever started it. */
public sealed interface Delivery {

    /**
     * The account (org code) the person asked to sign in to, when the connection is a shared configuration's;
     * null: where they were last.
     */
    String account();

    /** A browser: a session cookie and a redirect to an allowed {@code return_to} (or the default page). */
    record Browser(String returnTo, String account) implements Delivery {
        public Browser(String returnTo) {
            this(returnTo, null);
        }
    }

    /**
     * An OAuth-style client (mobile app, SPA) registered in config: a one-time code on its redirect URI,
     * traded at {@code /v1/token} with the PKCE verifier.
     */
    record Client(String clientId, String redirectUri, String state, String codeChallenge, String account) implements Delivery {
        public Client(String clientId, String redirectUri, String state, String codeChallenge) {
            this(clientId, redirectUri, state, codeChallenge, null);
        }
    }

    /**
     * A test sign-in from setup ({@link TestSignIns}): no session, a report of what the IdP sent and what a
     * sign-in would do, shown on the setup page. Only the browser that started the test can finish it.
     */
    record Test(java.util.UUID testId) implements Delivery {
        @Override
        public String account() {
            return null;
        }
    }
}
