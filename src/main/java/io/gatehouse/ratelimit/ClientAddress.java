package io.gatehouse.ratelimit;

import java.util.Set;

/** The client's address: the connection's, or from {@code X-Forwarded-For} when a trusted proxy sent it. Pure. */
final class ClientAddress {

    private ClientAddress() {
    }

    /**
     * @param peer           the address the connection came from
     * @param forwardedFor   the {@code X-Forwarded-For} header, or null
     * @param trustedProxies proxies whose header is believed
     * @return the rightmost address in the chain that is not a trusted proxy (the client as the first
     *         trusted proxy saw it); the peer when it is not a trusted proxy
     */
    static String of(String peer, String forwardedFor, Set<String> trustedProxies) {
        if (peer == null || forwardedFor == null || !trustedProxies.contains(peer)) {
            return peer;
        }
        String[] hops = forwardedFor.split(",");
        for (int i = hops.length - 1; i >= 0; i--) {
            String hop = hops[i].strip();
            if (!hop.isEmpty() && !trustedProxies.contains(hop)) {
                return hop;
            }
        }
        return peer;
    }
}
