package io.gatehouse.egress;

import io.gatehouse.platform.GatehouseConfig;
import io.quarkus.runtime.Startup;
import io.vertx.core.Vertx;
import io.vertx.core.net.ProxyOptions;
import io.vertx.core.net.ProxyType;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;

/**
 * Gatehouse's one egress policy, for every outbound call: the {@link EgressProxy} all HTTP clients are
 * pointed at ({@link #proxyOptions()}), checking each connection as it is made, and the same check of a
 * URL when an admin saves it ({@link #refusal(String)}), so a refused issuer is a 400 naming the field
 * rather than a sign-in that fails later.
 */
@Startup
@Singleton
public class Egress {

    private static final Logger LOG = Logger.getLogger(Egress.class);
    static final String PROXY_HOST = "127.0.0.1";

    private final EgressPolicy policy;
    private final Dns dns;
    private final EgressProxy proxy;
    private final int port;

    public Egress(GatehouseConfig config, Vertx vertx, Dns dns) {
        GatehouseConfig.Egress egress = config.egress();
        this.policy = new EgressPolicy(config.allowHttpUrls(), egress.allowPrivateAddresses(),
                egress.allowedHosts().orElse(List.of()));
        this.dns = dns;
        this.proxy = new EgressProxy(vertx, new EgressProxy.Limits(egress.timeout(), egress.maxConnectionTime(),
                egress.maxResponseSize().asLongValue()), this::decide);
        this.port = proxy.start();
        if (egress.allowPrivateAddresses()) {
            LOG.warn("gatehouse.egress.allow-private-addresses is on: outbound calls may reach loopback and private "
                    + "addresses (for dev and test only, never in production)");
        }
    }

    @PreDestroy
    void stop() {
        proxy.stop();
    }

    /** Where Gatehouse's HTTP clients send their requests: the egress proxy on loopback. */
    public ProxyOptions proxyOptions() {
        return new ProxyOptions().setType(ProxyType.HTTP).setHost(PROXY_HOST).setPort(port);
    }

    public String proxyHost() {
        return PROXY_HOST;
    }

    public int proxyPort() {
        return port;
    }

    /**
     * Why Gatehouse will not fetch from this URL (the scheme, or an address its host has now), or empty.
     * A host that does not resolve yet is not refused here: every fetch checks it again.
     */
    public Optional<String> refusal(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return Optional.of("is not a valid URL");
        }
        Optional<String> form = policy.urlRefusal(uri);
        if (form.isPresent() || policy.allowsName(uri.getHost())) {
            return form;
        }
        String host = hostOf(uri);
        try {
            return policy.refusal(host, dns.addresses(host)).map(reason -> "is refused by the egress policy: " + reason);
        } catch (UnknownHostException notYet) {
            return Optional.empty();
        }
    }

    /** The proxy's question: may it connect to this host, and at which address. Runs on a worker thread. */
    private EgressProxy.Decision decide(String scheme, String host) {
        return policy.decide(scheme, host, dns::addresses);
    }

    private static String hostOf(URI uri) {
        String host = uri.getHost();
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }
}
