package io.gatehouse.ratelimit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.gatehouse.login.ErrorPage;
import io.gatehouse.platform.GatehouseConfig;
import io.gatehouse.platform.Problem;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Token buckets in front of every anonymous endpoint, per client address and per org named in the URL
 * ({@code gatehouse.rate-limit.*}): a flood is answered {@code 429} with {@code Retry-After} before
 * anything reads or writes the database (problem+json for the API, the error page for browsers).
 * Buckets live in this replica's memory (Bucket4j), idle ones are dropped.
 */
@ApplicationScoped
public class RateLimits {

    private static final Logger LOG = Logger.getLogger(RateLimits.class);
    /** After the body-size check, before the callback's own checks (which log attempts). */
    static final int ORDER = Integer.MIN_VALUE + 1;
    /** The anonymous endpoints; group 1 (when present) is the org. */
    private static final List<Pattern> PATHS = List.of(
            Pattern.compile("^/v1/sso/start$"),
            Pattern.compile("^/v1/oidc/([a-z0-9-]{2,32})/login$"),
            Pattern.compile("^/v1/callback$"),
            Pattern.compile("^/v1/saml/acs$"),
            Pattern.compile("^/v1/saml/(?!acs$)([a-z0-9-]{2,32})(?:/acs|/slo|/slo/send)?$"),
            Pattern.compile("^/o/([a-z0-9-]{2,32})$"),
            Pattern.compile("^/setup/link$"),
            Pattern.compile("^/v1/login$"),
            Pattern.compile("^/v1/token$"),
            Pattern.compile("^/v1/revoke$"),
            Pattern.compile("^/v1/oidc/([a-z0-9-]{2,32})/backchannel-logout$"),
            Pattern.compile("^/login$"),
            Pattern.compile("^/login/sso$"));
    /** Answered as an API (problem+json); the rest are browser pages. */
    private static final Set<String> API = Set.of("/v1/login", "/v1/token", "/v1/revoke");

    private final GatehouseConfig.RateLimit config;
    private final Set<String> trustedProxies;
    private final Set<String> exempt;
    private final Cache<String, Bucket> buckets = Caffeine.newBuilder().maximumSize(200_000)
            .expireAfterAccess(Duration.ofMinutes(10)).executor(Runnable::run).build();

    public RateLimits(GatehouseConfig config) {
        this.config = config.rateLimit();
        this.trustedProxies = Set.copyOf(this.config.trustedProxies().orElse(List.of()));
        this.exempt = Set.copyOf(this.config.exemptAddresses().orElse(List.of()));
    }

    void warn(@Observes StartupEvent start) {
        if (!config.enabled()) {
            LOG.warn("gatehouse.rate-limit.enabled=false: the anonymous endpoints are not rate limited (load tests only)");
        }
    }

    void install(@Observes Router router) {
        if (config.enabled()) {
            router.route().order(ORDER).handler(this::limit);
        }
    }

    private void limit(RoutingContext ctx) {
        String path = ctx.normalizedPath();
        String org = null;
        boolean limited = false;
        for (Pattern pattern : PATHS) {
            Matcher m = pattern.matcher(path);
            if (m.matches()) {
                limited = true;
                org = m.groupCount() > 0 ? m.group(1) : null;
                break;
            }
        }
        if (!limited) {
            ctx.next();
            return;
        }
        if (org == null && path.equals("/v1/saml/acs")) {
            org = ctx.request().getParam("org");
        }
        String address = ClientAddress.of(ctx.request().remoteAddress() == null ? null : ctx.request().remoteAddress().hostAddress(),
                ctx.request().getHeader("X-Forwarded-For"), trustedProxies);
        if (address != null && exempt.contains(address)) {
            ctx.next();
            return;
        }
        long waitNanos = take("a:" + address, config.perAddress());
        if (waitNanos == 0 && org != null) {
            waitNanos = take("o:" + org, config.perOrg());
        }
        if (waitNanos == 0) {
            ctx.next();
            return;
        }
        refuse(ctx, path, Math.max(1, (waitNanos + 999_999_999L) / 1_000_000_000L));
    }

    /** Takes one token; 0 when there was one, else how long until there is. */
    private long take(String key, int capacity) {
        Bucket bucket = buckets.get(key, k -> Bucket.builder().addLimit(Bandwidth.builder().capacity(capacity)
                .refillGreedy(capacity, config.refillPeriod()).build()).build());
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
        return probe.isConsumed() ? 0 : Math.max(1, probe.getNanosToWaitForRefill());
    }

    private static void refuse(RoutingContext ctx, String path, long retryAfter) {
        String accept = ctx.request().getHeader(HttpHeaders.ACCEPT);
        boolean api = API.contains(path) || path.endsWith("/backchannel-logout") || (path.equals("/v1/sso/start") && accept != null && accept.contains("application/json"));
        ctx.response().setStatusCode(429).putHeader("Retry-After", String.valueOf(retryAfter));
        if (api) {
            Problem problem = new Problem(io.gatehouse.platform.ProblemMapper.TYPE_PREFIX + "too-many-requests", "Too many requests",
                    429, "Too many requests from this address. Try again in " + retryAfter + " seconds.", null, null);
            ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE).end(problem.toJson());
            return;
        }
        Response page = ErrorPage.page(429, "Too many attempts",
                "Too many sign-in attempts came from your network. Wait a minute, then try again.", null);
        page.getStringHeaders().forEach((name, values) -> ctx.response().putHeader(name, values.getFirst()));
        ctx.response().end((String) page.getEntity());
    }
}
