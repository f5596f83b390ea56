package io.gatehouse.platform;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

/** Gatehouse's own settings ({@code gatehouse.*}; env vars {@code GATEHOUSE_*}). */
@ConfigMapping(prefix = "gatehouse")
public interface GatehouseConfig {

    /**
     * The public base URL (e.g. {@code https://auth.example.com}). Every URL Gatehouse shows, puts in
     * metadata or in a token's {@code iss} is built from it, never from a request's Host header.
     */
    String publicUrl();

    /**
     * The platform operator's bearer token, or its SHA-256 as {@code sha256:<hex>}. Required outside
     * dev/test. Compared in constant time; only its hash is kept in memory.
     */
    Optional<String> adminToken();

    /**
     * Base64 of 32 random bytes: the AES-256-GCM key that encrypts client secrets and private keys at
     * rest. Required outside dev/test; losing it makes every stored secret unreadable.
     */
    Optional<String> masterKey();

    /**
     * Hosts that belong to one org ({@code gatehouse.org-hosts."signin.acme.com"=acme}): the root of such a
     * host is that org's own sign-in page ("your facility's URL"). Matched against the request's Host
     * header, which only picks among the orgs configured here.
     */
    java.util.Map<String, String> orgHosts();

    /** Whether plain http URLs are accepted for IdP endpoints and metadata. Only dev/test turn this on. */
    @WithDefault("false")
    boolean allowHttpUrls();

    /** Gatehouse's own tokens. */
    Token token();

    /** The browser session cookie. */
    Cookie cookie();

    /** The forward-auth endpoint. */
    ForwardAuth forwardAuth();

    /** SAML service provider settings. */
    Saml saml();

    /** Password sign-in. */
    PasswordLogin passwordLogin();

    /** DNS, for domain verification. */
    Dns dns();

    /** Outbound calls: to IdPs (discovery, keys, tokens, metadata). */
    Egress egress();

    /**
     * Every outbound HTTP call goes through one proxy inside Gatehouse that allows only https (plain http
     * where {@code allow-http-urls}) to public addresses, checked when connecting and on every redirect.
     */
    interface Egress {
        /**
         * Host names or addresses that may be reached even though they are internal (an IdP inside the
         * cluster, e.g. {@code keycloak.idp.svc.cluster.local}); {@code 127.0.0.1,localhost} lets a
         * deployment's own tests use an IdP on loopback.
         */
        Optional<java.util.List<String>> allowedHosts();

        /** Every address allowed: dev and test only (their IdPs run on loopback), never in production. */
        @WithDefault("false")
        boolean allowPrivateAddresses();

        /** Time to connect, and for an answer to begin after a request is sent. */
        @WithDefault("10s")
        Duration timeout();

        /** How long one outbound connection may stay open (it is closed at a quiet moment after). */
        @WithDefault("60s")
        Duration maxConnectionTime();

        /** How many bytes of answers one outbound connection may bring back. */
        @WithDefault("4M")
        io.quarkus.runtime.configuration.MemorySize maxResponseSize();
    }

    /** How long kept rows stay before the purge deletes them. */
    Retention retention();

    /**
     * What Gatehouse keeps only for a while, purged every {@code interval} by one replica. Rows that guard
     * against replay (used SAML assertion IDs, OIDC flow state) go when they expire, not sooner.
     */
    interface Retention {
        /** Login attempts (the attempt log, and what the password lockout counts). */
        @WithDefault("90d")
        Duration loginAttempts();

        /** Sessions, counted from when they expired or were revoked (their codes and refresh tokens go with them). */
        @WithDefault("7d")
        Duration endedSessions();

        /** One-time codes, counted from their expiry. */
        @WithDefault("1d")
        Duration codes();

        /** SAML AuthnRequests, counted from their expiry. */
        @WithDefault("1d")
        Duration samlRequests();

        /** How often the purge runs. */
        @WithDefault("10m")
        Duration interval();

        /** At most this many rows per table and run. */
        @WithDefault("10000")
        @jakarta.validation.constraints.Min(1)
        int batchSize();
    }

    /** Rate limits of the anonymous endpoints. */
    RateLimit rateLimit();

    /**
     * Token buckets in front of every anonymous endpoint ({@code /v1/sso/start}, {@code /v1/oidc/*}/login,
     * {@code /v1/callback}, the SAML start and ACS, {@code /v1/login}, {@code /v1/token}, {@code /login},
     * {@code /login/sso}): one per client address and one per org named in the URL; {@code 429} with
     * {@code Retry-After} before any database work. Held in each replica's memory: with N replicas behind a
     * balancer the effective limit is about N times these.
     */
    interface RateLimit {
        /** Off only for load tests and benchmarks; a warning is logged at start. */
        @WithDefault("true")
        boolean enabled();

        /**
         * Requests one client address may make, as a burst (an office behind one NAT signs in through one
         * address: each sign-in takes 3 or 4 of these).
         */
        @WithDefault("300")
        @jakarta.validation.constraints.Min(1)
        int perAddress();

        /** Requests for one org (from every address), as a burst. */
        @WithDefault("3000")
        @jakarta.validation.constraints.Min(1)
        int perOrg();

        /** The time in which a bucket refills completely. */
        @WithDefault("1m")
        Duration refillPeriod();

        /**
         * Proxies whose {@code X-Forwarded-For} is believed (addresses, e.g. the ingress controller's);
         * from anyone else the header is ignored and the connection's address counts.
         */
        Optional<java.util.List<String>> trustedProxies();

        /** Client addresses never limited (a benchmark's own load generator). */
        Optional<java.util.List<String>> exemptAddresses();
    }

    /** Email domains an org claims. */
    Domains domains();

    /**
     * Where DNS questions go: {@code host:port} of a resolver (e.g. {@code 10.0.0.10:53}); unset, the
     * system's resolvers ({@code /etc/resolv.conf}).
     */
    interface Dns {
        Optional<String> resolver();

        /** How long one DNS question may take. */
        @WithDefault("5s")
        Duration timeout();
    }

    /**
     * A domain an org admin adds stays {@code pending} until its TXT record proves it, checked on demand
     * and every {@code recheck-interval}; after {@code claim-lifetime} unproven it expires.
     */
    interface Domains {
        @WithDefault("14d")
        Duration claimLifetime();

        @WithDefault("15m")
        Duration recheckInterval();
    }

    /**
     * Lockout: after {@code max-failures} failed password sign-ins for one username within
     * {@code lockout-window} (and no successful one since), further attempts for that username are refused
     * with 429 without checking the password, until the oldest of those failures leaves the window.
     * Counted in PostgreSQL, so every replica agrees. Unknown usernames are counted the same way.
     */
    interface PasswordLogin {
        @WithDefault("10")
        @jakarta.validation.constraints.Min(1)
        int maxFailures();

        @WithDefault("15m")
        Duration lockoutWindow();
    }

    /** SAML: clocks, lifetimes and the metadata fetch. */
    interface Saml {
        /** How far the IdP's clock may be from Gatehouse's when checking NotBefore / NotOnOrAfter. */
        @WithDefault("90s")
        Duration clockSkew();

        /** How long an AuthnRequest may wait for its answer. */
        @WithDefault("10m")
        Duration requestLifetime();

        /** Time limit for fetching IdP metadata from a URL (the whole answer). */
        @WithDefault("10s")
        Duration metadataFetchTimeout();
    }

    /** Settings of {@code /v1/auth/verify}. */
    interface ForwardAuth {
        /**
         * Hosts whose URLs a browser may be sent back to after signing in (exact names, or
         * {@code .example.com} for every subdomain). Other original URLs are dropped from the redirect.
         */
        Optional<java.util.List<String>> allowedHosts();
    }

    /**
     * Return URLs allowed for every org (each org adds its own): an absolute URL allows that scheme,
     * host and port, and paths under its path. Relative paths on Gatehouse itself are always allowed.
     */
    Optional<java.util.List<String>> allowedReturnUrls();

    /** Where a browser lands after sign-in when no allowed {@code return_to} was given. */
    @WithDefault("/")
    String defaultReturnUrl();

    /** OAuth-style clients (mobile apps, SPAs) by client ID. */
    java.util.Map<String, Client> clients();

    /** A registered OAuth-style client: public, so PKCE (S256) is required. */
    interface Client {
        /** Its redirect URIs, compared exactly. */
        java.util.List<String> redirectUris();

        /** How long its sessions last, i.e. until its refresh tokens stop working. */
        @WithDefault("30d")
        Duration sessionLifetime();
    }

    /** Settings of the browser session cookie. */
    interface Cookie {
        /** The cookie's name. */
        @WithDefault("gatehouse_session")
        String name();

        /** The cookie's Domain attribute (e.g. {@code .example.com} for forward-auth across subdomains). */
        Optional<String> domain();
    }

    /** Settings of the JWTs Gatehouse issues. */
    interface Token {
        /** The {@code aud} claim of access tokens; services that verify them expect this value. */
        @WithDefault("gatehouse")
        String audience();

        /** How long an access token is valid. */
        @WithDefault("15m")
        Duration accessTokenLifetime();

        /** How long a browser session (and its cookie) lasts. */
        @WithDefault("12h")
        Duration sessionLifetime();

        /** How old the active signing key may get before the schedule replaces it. */
        @WithDefault("90d")
        Duration keyRotationInterval();

        /** How long a one-time authorization code is valid. */
        @WithDefault("60s")
        Duration codeLifetime();
    }
}
