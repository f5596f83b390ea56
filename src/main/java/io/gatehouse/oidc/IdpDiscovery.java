package io.gatehouse.oidc;

import io.gatehouse.egress.Egress;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Singleton;

import java.time.Duration;

/**
 * What the callback needs of an IdP's discovery document (its issuer, and whether it sends RFC 9207's
 * {@code iss}), read once per connection version and kept for a while. When the document cannot be
 * read, the configured issuer stands in and nothing is advertised.
 */
@Singleton
public class IdpDiscovery {

    private static final String WELL_KNOWN = "/.well-known/openid-configuration";
    private static final int MAX_BYTES = 256 * 1024;

    /**
     * The issuer, whether the IdP advertises {@code authorization_response_iss_parameter_supported}, and
     * its {@code jwks_uri} and {@code end_session_endpoint} (null when not advertised or not read).
     */
    record Issuer(String issuer, boolean issParameterSupported, String jwksUri, String endSessionEndpoint) {
        Issuer(String issuer, boolean issParameterSupported) {
            this(issuer, issParameterSupported, null, null);
        }
    }

    private final HttpClient http;
    private final Cache<String, Issuer> known = Caffeine.newBuilder().maximumSize(10_000)
            .expireAfterWrite(Duration.ofMinutes(10)).executor(Runnable::run).build();

    public IdpDiscovery(Vertx vertx, Egress egress) {
        this.http = vertx.createHttpClient(new HttpClientOptions().setProxyOptions(egress.proxyOptions())
                .setConnectTimeout(5_000).setMaxPoolSize(4));
    }

    /**
     * @param tenantId      the connection's version (the cache key)
     * @param authServerUrl where its endpoints are discovered: the issuer, or the discovery URL; also the
     *                      issuer expected when the document cannot be read
     */
    Uni<Issuer> of(String tenantId, String authServerUrl) {
        Issuer cached = known.getIfPresent(tenantId);
        if (cached != null) {
            return Uni.createFrom().item(cached);
        }
        String url = authServerUrl.replaceAll("/+$", "");
        Issuer configured = new Issuer(url.endsWith(WELL_KNOWN) ? url.substring(0, url.length() - WELL_KNOWN.length()) : url, false);
        String document = url.endsWith(WELL_KNOWN) ? url : url + WELL_KNOWN;
        return Uni.createFrom().<Issuer>emitter(emitter -> get(document)
                .onComplete(result -> {
                    Issuer found = configured;
                    if (result.succeeded() && result.result().length() <= MAX_BYTES) {
                        try {
                            JsonObject json = result.result().toJsonObject();
                            String issuer = json.getString("issuer");
                            found = new Issuer(issuer != null ? issuer : configured.issuer(),
                                    Boolean.TRUE.equals(json.getValue("authorization_response_iss_parameter_supported")),
                                    json.getString("jwks_uri"), json.getString("end_session_endpoint"));
                            known.put(tenantId, found);
                        } catch (RuntimeException notJson) {
                            found = configured;
                        }
                    }
                    emitter.complete(found);
                }));
    }

    private final Cache<String, String> keySets = Caffeine.newBuilder().maximumSize(10_000)
            .expireAfterWrite(Duration.ofMinutes(10)).executor(Runnable::run).build();

    /**
     * The IdP's JSON Web Key Set (its {@code jwks_uri}, through the egress policy), kept a while per
     * connection version; {@code refresh} reads it again (a key the kept set does not have: a rollover).
     */
    String keySet(String tenantId, String jwksUri, boolean refresh) {
        String cached = refresh ? null : keySets.getIfPresent(tenantId);
        if (cached != null) {
            return cached;
        }
        String fetched = get(jwksUri).map(body -> body.length() <= MAX_BYTES ? body.toString() : null)
                .toCompletionStage().toCompletableFuture().orTimeout(6, java.util.concurrent.TimeUnit.SECONDS).join();
        if (fetched != null) {
            keySets.put(tenantId, fetched);
        }
        return fetched;
    }

    /** One GET of an IdP document through the egress proxy, redirects followed: its body, or a failure unless 200. */
    private io.vertx.core.Future<io.vertx.core.buffer.Buffer> get(String url) {
        return http.request(new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(url).setFollowRedirects(true).setTimeout(5_000))
                .compose(request -> request.send())
                .compose(response -> response.statusCode() == 200 ? response.body()
                        : io.vertx.core.Future.failedFuture("HTTP " + response.statusCode()));
    }

    /** The discovery answer, waited for (blocking callers only). */
    Issuer await(String tenantId, String authServerUrl) {
        return of(tenantId, authServerUrl).await().atMost(Duration.ofSeconds(7));
    }
}
