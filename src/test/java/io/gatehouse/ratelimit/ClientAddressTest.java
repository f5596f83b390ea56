package io.gatehouse.ratelimit;

import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ClientAddressTest {

    private static final Set<String> PROXIES = Set.of("10.0.0.5", "10.0.0.6");

    @Test
    void theHeaderCountsOnlyFromATrustedProxy() {
        assertEquals("203.0.113.9", ClientAddress.of("203.0.113.9", "198.51.100.1", PROXIES), "a client cannot name itself");
        assertEquals("198.51.100.1", ClientAddress.of("10.0.0.5", "198.51.100.1", PROXIES));
        assertEquals("10.0.0.5", ClientAddress.of("10.0.0.5", null, PROXIES));
    }

    @Test
    void theRightmostAddressNoTrustedProxyAddedWins() {
        // The client prepended a forged hop; the proxies appended what they saw.
        assertEquals("198.51.100.1", ClientAddress.of("10.0.0.5", "1.2.3.4, 198.51.100.1, 10.0.0.6", PROXIES));
        assertEquals("10.0.0.5", ClientAddress.of("10.0.0.5", "10.0.0.6, 10.0.0.5", PROXIES));
    }
}
