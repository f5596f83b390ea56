package io.gatehouse.login;

import io.gatehouse.org.Org;
import io.gatehouse.platform.ApiException;
import io.gatehouse.platform.GatehouseConfig;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Checks where a sign-in may end, before it starts and again when it completes: allowed return URLs,
 * registered clients with exact redirect URIs and an S256 PKCE challenge.
 */
@ApplicationScoped
public class DeliveryPolicy {

    /** RFC 7636 §4.2: BASE64URL of a SHA-256, 43 characters. */
    private static final Pattern S256_CHALLENGE = Pattern.compile("^[A-Za-z0-9_-]{43}$");

    private final GatehouseConfig config;

    public DeliveryPolicy(GatehouseConfig config) {
        this.config = config;
    }

    /** The return URL to use: {@code returnTo} when allowed for this org, else the default page. */
    public String returnUrl(Org org, String returnTo) {
        List<String> allowed = new ArrayList<>(org.getAllowedReturnUrls());
        config.allowedReturnUrls().ifPresent(allowed::addAll);
        return returnTo != null && ReturnUrlPolicy.isAllowed(returnTo, allowed) ? returnTo : config.defaultReturnUrl();
    }

    /** Refuses a client delivery that is not registered exactly as given. */
    public void checkClient(Delivery.Client client) {
        GatehouseConfig.Client registered = config.clients().get(client.clientId());
        if (client.clientId() == null || registered == null) {
            throw ApiException.invalidField("client_id", "is not a registered client");
        }
        if (client.redirectUri() == null || !registered.redirectUris().contains(client.redirectUri())) {
            throw ApiException.invalidField("redirect_uri", "is not registered for this client");
        }
        if (client.codeChallenge() == null || !S256_CHALLENGE.matcher(client.codeChallenge()).matches()) {
            throw ApiException.invalidField("code_challenge", "an S256 PKCE challenge is required");
        }
    }

    /** How long sessions of this delivery last. */
    public Duration sessionLifetime(Delivery delivery) {
        return delivery instanceof Delivery.Client client
                ? config.clients().get(client.clientId()).sessionLifetime()
                : config.token().sessionLifetime();
    }
}
