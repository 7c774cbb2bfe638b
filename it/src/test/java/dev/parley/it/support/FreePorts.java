package dev.parley.it.support;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Free TCP ports for child servers. A port handed out once is not handed out again by this JVM, so two servers
 * started back to back never race for the same one.
 */
public final class FreePorts {

    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    private FreePorts() {
    }

    /** A port that is free right now on all interfaces and on localhost. */
    public static int find() {
        for (int attempt = 0; attempt < 50; attempt++) {
            int port;
            try (ServerSocket s = new ServerSocket()) {
                s.setReuseAddress(false);
                s.bind(new InetSocketAddress(0));
                port = s.getLocalPort();
            } catch (IOException e) {
                throw new IllegalStateException("cannot open a server socket", e);
            }
            if (HANDED_OUT.add(port)) {
                return port;
            }
        }
        throw new IllegalStateException("no free port found");
    }

    /**
     * A base B (a multiple of 100 between 20000 and 59900) such that B..B+99 are all free: what
     * {@code asadmin create-domain --portbase} needs (admin = B+48, HTTP = B+80, ...).
     */
    public static int findBase() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int attempt = 0; attempt < 100; attempt++) {
            int base = 200 * 100 + random.nextInt(400) * 100;
            if (HANDED_OUT.contains(base) || !rangeFree(base, 100)) {
                continue;
            }
            if (HANDED_OUT.add(base)) {
                for (int p = base; p < base + 100; p++) {
                    HANDED_OUT.add(p);
                }
                return base;
            }
        }
        throw new IllegalStateException("no free range of 100 ports found");
    }

    public static boolean isFree(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(false);
            s.bind(new InetSocketAddress(port));
        } catch (IOException e) {
            return false;
        }
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(false);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean rangeFree(int base, int count) {
        for (int p = base; p < base + count; p++) {
            if (!isFree(p)) {
                return false;
            }
        }
        return true;
    }
}
