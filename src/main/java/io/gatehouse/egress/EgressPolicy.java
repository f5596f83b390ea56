package io.gatehouse.egress;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which outbound connections Gatehouse may make: pure rules, no I/O. A URL must be https (http only
 * where {@code allowHttp}); each address a host resolves to must be public unicast: not loopback,
 * private, link-local (the cloud metadata services live there), CGNAT, unique-local, IPv4 embedded in
 * IPv6 (mapped, translated, 6to4, Teredo: each could reach an internal IPv4 address), multicast,
 * unspecified, reserved or documentation space. Operators may name hosts or addresses that are allowed
 * anyway (an IdP inside the cluster); dev and test allow every address.
 */
public final class EgressPolicy {

    /** A refused address range and the name of the rule, as shown to admins. */
    record Range(byte[] prefix, int bits, String rule) {
        boolean contains(byte[] address) {
            if (address.length != prefix.length) {
                return false;
            }
            int full = bits / 8;
            for (int i = 0; i < full; i++) {
                if (address[i] != prefix[i]) {
                    return false;
                }
            }
            int rest = bits % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (address[full] & mask) == (prefix[full] & mask);
        }
    }

    /** Every refused range, most specific first (the first match names the rule). */
    static final List<Range> REFUSED = List.of(
            range("169.254.169.254/32", "a cloud metadata address"),
            range("100.100.100.200/32", "a cloud metadata address"),
            range("fd00:ec2::254/128", "a cloud metadata address"),
            range("0.0.0.0/8", "an unspecified address (0.0.0.0/8)"),
            range("10.0.0.0/8", "a private address (10.0.0.0/8)"),
            range("100.64.0.0/10", "a carrier-grade NAT address (100.64.0.0/10)"),
            range("127.0.0.0/8", "a loopback address (127.0.0.0/8)"),
            range("169.254.0.0/16", "a link-local address (169.254.0.0/16)"),
            range("172.16.0.0/12", "a private address (172.16.0.0/12)"),
            range("192.0.0.0/24", "an IETF protocol address (192.0.0.0/24)"),
            range("192.0.2.0/24", "a documentation address (192.0.2.0/24)"),
            range("192.88.99.0/24", "a 6to4 relay address (192.88.99.0/24)"),
            range("192.168.0.0/16", "a private address (192.168.0.0/16)"),
            range("198.18.0.0/15", "a benchmarking address (198.18.0.0/15)"),
            range("198.51.100.0/24", "a documentation address (198.51.100.0/24)"),
            range("203.0.113.0/24", "a documentation address (203.0.113.0/24)"),
            range("224.0.0.0/4", "a multicast address (224.0.0.0/4)"),
            range("240.0.0.0/4", "a reserved address (240.0.0.0/4)"),
            range("::/128", "the unspecified address (::)"),
            range("::1/128", "the loopback address (::1)"),
            range("::ffff:0:0/96", "an IPv4-mapped IPv6 address (::ffff:0:0/96)"),
            range("::/96", "an IPv4-compatible IPv6 address (::/96)"),
            range("64:ff9b::/96", "an IPv4-translated IPv6 address (64:ff9b::/96)"),
            range("64:ff9b:1::/48", "an IPv4-translated IPv6 address (64:ff9b:1::/48)"),
            range("100::/64", "a discard-only IPv6 address (100::/64)"),
            range("2001::/32", "a Teredo IPv6 address (2001::/32)"),
            range("2001:db8::/32", "a documentation IPv6 address (2001:db8::/32)"),
            range("2002::/16", "a 6to4 IPv6 address (2002::/16)"),
            range("fc00::/7", "a unique-local IPv6 address (fc00::/7)"),
            range("fe80::/10", "a link-local IPv6 address (fe80::/10)"),
            range("fec0::/10", "a site-local IPv6 address (fec0::/10)"),
            range("ff00::/8", "a multicast IPv6 address (ff00::/8)"));

    private final boolean allowHttp;
    private final boolean allowPrivateAddresses;
    private final Set<String> allowedNames;
    private final Set<InetAddress> allowedAddresses;

    /**
     * @param allowHttp             accept plain http URLs ({@code gatehouse.allow-http-urls})
     * @param allowPrivateAddresses accept every address (dev and test only)
     * @param allowedHosts          host names or addresses allowed whatever they resolve to / are
     */
    public EgressPolicy(boolean allowHttp, boolean allowPrivateAddresses, List<String> allowedHosts) {
        this.allowHttp = allowHttp;
        this.allowPrivateAddresses = allowPrivateAddresses;
        this.allowedAddresses = allowedHosts.stream().map(String::strip).map(EgressPolicy::literal)
                .flatMap(Optional::stream).collect(Collectors.toUnmodifiableSet());
        this.allowedNames = allowedHosts.stream().map(String::strip).filter(h -> literal(h).isEmpty())
                .map(h -> h.toLowerCase(Locale.ROOT).replaceAll("\\.$", "")).collect(Collectors.toUnmodifiableSet());
    }

    public boolean allowsHttp() {
        return allowHttp;
    }

    /** Whether every address is allowed (dev/test): no address needs to be looked up to check a URL. */
    public boolean allowsEveryAddress() {
        return allowPrivateAddresses;
    }

    /** Why this URL may not be fetched at all (scheme, form), or empty: its addresses are checked apart. */
    public Optional<String> urlRefusal(URI url) {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !(allowHttp && scheme.equals("http"))) {
            return Optional.of("must use https");
        }
        if (url.getHost() == null || url.getUserInfo() != null) {
            return Optional.of("must be an absolute URL without credentials");
        }
        return Optional.empty();
    }

    /** Whether a host is allowed by name (then whatever it resolves to is allowed too). */
    public boolean allowsName(String host) {
        return allowPrivateAddresses || allowedNames.contains(host.toLowerCase(Locale.ROOT).replaceAll("\\.$", ""));
    }

    /**
     * Why a connection to {@code host} at these addresses (what it resolved to, or its literal address) is
     * refused, naming the address and the rule; empty when every one of them is allowed.
     */
    public Optional<String> refusal(String host, List<InetAddress> addresses) {
        for (InetAddress address : addresses) {
            Optional<String> rule = rule(host, address);
            if (rule.isPresent()) {
                boolean literal = literal(host).isPresent();
                return Optional.of(literal ? address.getHostAddress() + " is " + rule.get()
                        : host + " resolves to " + address.getHostAddress() + ", " + rule.get());
            }
        }
        return Optional.empty();
    }

    /** The rule refusing one address, or empty. */
    Optional<String> rule(String host, InetAddress address) {
        if (allowsName(host) || allowedAddresses.contains(address)) {
            return Optional.empty();
        }
        if (address instanceof Inet6Address v6 && v6.getScopeId() != 0) {
            return Optional.of("a scoped IPv6 address");
        }
        byte[] bytes = address.getAddress();
        for (Range range : REFUSED) {
            if (range.contains(bytes)) {
                return Optional.of(range.rule());
            }
        }
        return Optional.empty();
    }

    /** A host's addresses (DNS, or a literal's own). */
    @FunctionalInterface
    public interface AddressLookup {
        List<InetAddress> addresses(String host) throws UnknownHostException;
    }

    /**
     * The decision for one outbound connection: the scheme must be allowed, the host must resolve, and
     * every address it resolves to must be allowed; then the first of them is the one to connect to.
     */
    public EgressProxy.Decision decide(String scheme, String host, AddressLookup lookup) {
        if (!scheme.equals("https") && !(allowHttp && scheme.equals("http"))) {
            return new EgressProxy.Refused(403, "plain http is not allowed (https only)");
        }
        List<InetAddress> addresses;
        try {
            addresses = lookup.addresses(host);
        } catch (UnknownHostException e) {
            return new EgressProxy.Refused(502, host + " does not resolve");
        }
        if (addresses.isEmpty()) {
            return new EgressProxy.Refused(502, host + " does not resolve");
        }
        return refusal(host, addresses).<EgressProxy.Decision>map(reason -> new EgressProxy.Refused(403, reason))
                .orElseGet(() -> new EgressProxy.Allowed(addresses.get(0)));
    }

    /** The address a host names literally (an IPv4 or IPv6 literal, brackets allowed), or empty for a name. */
    static Optional<InetAddress> literal(String host) {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        boolean v4 = h.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}");
        boolean v6 = h.contains(":") && h.matches("[0-9A-Fa-f:.%a-zA-Z0-9]+");
        if (!v4 && !v6) {
            return Optional.empty();
        }
        try {
            InetAddress parsed = InetAddress.getByName(h); // a literal: no DNS question is asked
            if (v6 && parsed instanceof java.net.Inet4Address) {
                // Java reads ::ffff:a.b.c.d as the IPv4 address; keep it the IPv6 address it was written as.
                return Optional.of(Inet6Address.getByAddress(null, mapped(parsed.getAddress()), -1));
            }
            return Optional.of(parsed);
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    /** The IPv4-mapped IPv6 form (::ffff:a.b.c.d) of an IPv4 address's bytes. */
    static byte[] mapped(byte[] v4) {
        byte[] v6 = new byte[16];
        v6[10] = (byte) 0xff;
        v6[11] = (byte) 0xff;
        System.arraycopy(v4, 0, v6, 12, 4);
        return v6;
    }

    private static Range range(String cidr, String rule) {
        int slash = cidr.indexOf('/');
        InetAddress prefix = literal(cidr.substring(0, slash)).orElseThrow();
        return new Range(prefix.getAddress(), Integer.parseInt(cidr.substring(slash + 1)), rule);
    }
}
