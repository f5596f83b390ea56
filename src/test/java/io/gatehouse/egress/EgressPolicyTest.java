package io.gatehouse.egress;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The egress rules, one address class at a time, each refusal naming its rule. */
class EgressPolicyTest {

    private static final EgressPolicy PRODUCTION = new EgressPolicy(false, false, List.of());

    private static Optional<String> refusal(EgressPolicy policy, String host) throws UnknownHostException {
        return policy.refusal(host, List.of(EgressPolicy.literal(host).orElseThrow()));
    }

    @Test
    void everyInternalAddressClassIsRefusedByItsRule() throws Exception {
        Map<String, String> cases = new java.util.LinkedHashMap<>();
        cases.put("127.0.0.1", "loopback");
        cases.put("127.255.0.9", "loopback");
        cases.put("::1", "loopback");
        cases.put("10.1.2.3", "private address (10.0.0.0/8)");
        cases.put("172.16.0.1", "private address (172.16.0.0/12)");
        cases.put("172.31.255.255", "private address (172.16.0.0/12)");
        cases.put("192.168.1.1", "private address (192.168.0.0/16)");
        cases.put("169.254.169.254", "cloud metadata");
        cases.put("169.254.1.1", "link-local address (169.254.0.0/16)");
        cases.put("fe80::1", "link-local IPv6 address (fe80::/10)");
        cases.put("100.64.0.1", "carrier-grade NAT");
        cases.put("100.127.255.255", "carrier-grade NAT");
        cases.put("100.100.100.200", "cloud metadata");
        cases.put("fd00::1", "unique-local IPv6 address (fc00::/7)");
        cases.put("fc00::1", "unique-local");
        cases.put("fd00:ec2::254", "cloud metadata");
        cases.put("::ffff:127.0.0.1", "IPv4-mapped");
        cases.put("::ffff:8.8.8.8", "IPv4-mapped");
        cases.put("64:ff9b::a00:1", "IPv4-translated");
        cases.put("2002:a00:1::", "6to4");
        cases.put("2001:0:4136:e378::1", "Teredo");
        cases.put("224.0.0.1", "multicast");
        cases.put("ff02::1", "multicast");
        cases.put("0.0.0.0", "unspecified");
        cases.put("::", "unspecified");
        cases.put("255.255.255.255", "reserved");
        cases.put("198.18.0.1", "benchmarking");
        cases.put("192.0.2.1", "documentation");
        for (var c : cases.entrySet()) {
            String why = refusal(PRODUCTION, c.getKey()).orElseThrow(() -> new AssertionError(c.getKey() + " was allowed"));
            assertTrue(why.contains(c.getValue()), c.getKey() + ": " + why);
        }
    }

    @Test
    void publicAddressesAreAllowed() throws Exception {
        for (String address : List.of("93.184.216.34", "8.8.8.8", "1.1.1.1", "100.63.255.255", "100.128.0.1", "172.32.0.1",
                "2606:2800:220:1:248:1893:25c8:1946", "2a00:1450:4001:80b::200e")) {
            assertEquals(Optional.empty(), refusal(PRODUCTION, address), address);
        }
    }

    @Test
    void aNameIsJudgedByEveryAddressItResolvesTo() throws Exception {
        List<InetAddress> mixed = List.of(InetAddress.getByName("93.184.216.34"), InetAddress.getByName("10.0.0.5"));
        assertEquals("idp.example.com resolves to 10.0.0.5, a private address (10.0.0.0/8)",
                PRODUCTION.refusal("idp.example.com", mixed).orElseThrow());
        EgressProxy.Decision decision = PRODUCTION.decide("https", "idp.example.com", h -> mixed);
        assertInstanceOf(EgressProxy.Refused.class, decision);
        assertEquals(403, ((EgressProxy.Refused) decision).status());
        assertInstanceOf(EgressProxy.Refused.class, PRODUCTION.decide("https", "gone.example", h -> {
            throw new UnknownHostException(h);
        }));
    }

    @Test
    void operatorsMayAllowNamedInternalHosts() throws Exception {
        EgressPolicy policy = new EgressPolicy(false, false, List.of("keycloak.idp.svc.cluster.local", "10.0.0.7", " LOCALHOST "));
        List<InetAddress> internal = List.of(InetAddress.getByName("10.0.0.9"));
        assertEquals(Optional.empty(), policy.refusal("keycloak.idp.svc.cluster.local", internal));
        assertEquals(Optional.empty(), policy.refusal("Keycloak.IDP.svc.cluster.local.", internal));
        assertEquals(Optional.empty(), policy.refusal("localhost", List.of(InetAddress.getByName("127.0.0.1"))));
        assertEquals(Optional.empty(), refusal(policy, "10.0.0.7"));
        assertTrue(policy.refusal("other.svc.cluster.local", internal).isPresent(), "only the names given");
        assertTrue(refusal(policy, "10.0.0.8").isPresent(), "only the addresses given");
        assertInstanceOf(EgressProxy.Allowed.class, policy.decide("https", "keycloak.idp.svc.cluster.local", h -> internal));
    }

    @Test
    void httpsOnlyUnlessPlainHttpIsAllowed() {
        assertEquals("must use https", PRODUCTION.urlRefusal(URI.create("http://idp.example.com/")).orElseThrow());
        assertEquals("must use https", PRODUCTION.urlRefusal(URI.create("gopher://idp.example.com/")).orElseThrow());
        assertTrue(PRODUCTION.urlRefusal(URI.create("https://user:pw@idp.example.com/")).isPresent());
        assertEquals(Optional.empty(), PRODUCTION.urlRefusal(URI.create("https://idp.example.com/")));
        assertEquals(Optional.empty(), new EgressPolicy(true, false, List.of()).urlRefusal(URI.create("http://idp.example.com/")));
        assertInstanceOf(EgressProxy.Refused.class, PRODUCTION.decide("http", "93.184.216.34", h -> List.of(InetAddress.getByName(h))));
    }

    @Test
    void devAndTestAllowEveryAddress() throws Exception {
        EgressPolicy dev = new EgressPolicy(true, true, List.of());
        assertEquals(Optional.empty(), refusal(dev, "127.0.0.1"));
        assertEquals(Optional.empty(), refusal(dev, "169.254.169.254"));
    }
}
