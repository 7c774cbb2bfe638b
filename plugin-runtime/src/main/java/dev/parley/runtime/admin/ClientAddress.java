package dev.parley.runtime.admin;

import java.util.Set;

/**
 * The client address a login is counted against. The socket's peer, unless that peer is one of
 * {@code parley.admin.trusted-proxies}: then the right-most {@code X-Forwarded-For} entry that is not itself a
 * trusted proxy (entries further left are written by the client and can be forged).
 */
final class ClientAddress {

    private ClientAddress() {
    }

    static String of(String peer, String forwardedFor, Set<String> trustedProxies) {
        if (peer == null || !trustedProxies.contains(peer) || forwardedFor == null || forwardedFor.isBlank()) {
            return peer == null ? "unknown" : peer;
        }
        String[] hops = forwardedFor.split(",");
        for (int i = hops.length - 1; i >= 0; i--) {
            String hop = hops[i].strip();
            if (!hop.isEmpty() && !trustedProxies.contains(hop)) {
                return hop.length() > 64 ? hop.substring(0, 64) : hop;
            }
        }
        return peer;
    }
}
