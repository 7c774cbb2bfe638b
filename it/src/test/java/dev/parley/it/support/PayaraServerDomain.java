package dev.parley.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A private Payara Server domain for EAR tests, made from the distribution the build unpacked into
 * {@code target/payara-server/payara6}. The domain lives under {@code target/server-domains/<name>} (the
 * distribution's own {@code domain1} is never touched) and uses a free port range ({@code --portbase}), so it
 * clashes with nothing.
 * <pre>
 * try (PayaraServerDomain server = PayaraServerDomain.builder().config(Map.of("parley.admin.password", "s")).build()) {
 *     server.createAndStart();          // create-domain, start-domain, create-system-properties (the config)
 *     server.deploy(ItPaths.ear());     // asadmin deploy; then GET /ping until 200
 *     Http.of(server.baseUrl()).get("/ping").expect(200);
 * }                                     // stop-domain (kill if needed), delete-domain
 * </pre>
 * Config goes in as server-level system properties, which MicroProfile Config reads like {@code -D} options;
 * the harness adds {@code parley.public-url} and a file H2 URL ({@code target/server-domains/<name>-db}, so a
 * domain restart keeps the schema: PLATFORM.md gotcha 6). Every asadmin call is time-bounded and its output is
 * put into the exception when it fails.
 */
public final class PayaraServerDomain implements AutoCloseable {

    private static final Set<PayaraServerDomain> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(PayaraServerDomain::killQuietly),
                "parley-it-domain-reaper"));
    }

    private final Path home;
    private final String name;
    private final Path domainsDir;
    private final Path dbDir;
    private final int portBase;
    private final Map<String, String> config;
    private final Path asadminLog;
    private boolean created;
    private boolean started;

    private PayaraServerDomain(Builder b) {
        this.home = ItPaths.serverHome();
        this.name = b.name;
        this.domainsDir = ItPaths.targetDir().resolve("server-domains");
        this.dbDir = domainsDir.resolve(name + "-db");
        this.portBase = FreePorts.findBase();
        Map<String, String> c = new LinkedHashMap<>();
        c.put("parley.public-url", "http://localhost:" + httpPort());
        c.put("parley.datasource.url", "jdbc:h2:file:" + dbDir.resolve("parley") + ";DB_CLOSE_ON_EXIT=FALSE;LOCK_TIMEOUT=10000;WRITE_DELAY=0;QUERY_CACHE_SIZE=64");
        c.putAll(b.config);
        this.config = c;
        this.asadminLog = ItPaths.targetDir().resolve(name + "-asadmin.log");
    }

    public static Builder builder() {
        return new Builder();
    }

    /** create-domain, start-domain, then the config as system properties. */
    public PayaraServerDomain createAndStart() {
        try {
            Files.createDirectories(domainsDir);
            ParleyServer.deleteRecursively(domainsDir.resolve(name));
            ParleyServer.deleteRecursively(dbDir);
            Files.deleteIfExists(asadminLog);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        LIVE.add(this);
        asadmin(Duration.ofMinutes(3), "create-domain", "--nopassword=true", "--portbase", String.valueOf(portBase),
                "--domaindir", domainsDir.toString(), "--checkports=true", "--savelogin=false", name);
        created = true;
        start();
        if (!config.isEmpty()) {
            setSystemProperties(config);
        }
        return this;
    }

    public PayaraServerDomain start() {
        long t0 = System.nanoTime();
        asadmin(Duration.ofMinutes(4), "start-domain", "--domaindir", domainsDir.toString(), name);
        started = true;
        System.out.printf("[it] domain %s started in %.1f s (admin :%d, http :%d)%n", name,
                (System.nanoTime() - t0) / 1e9, adminPort(), httpPort());
        return this;
    }

    public void stop() {
        if (!started) {
            return;
        }
        try {
            asadmin(Duration.ofMinutes(2), "stop-domain", "--domaindir", domainsDir.toString(), name);
        } catch (RuntimeException e) {
            System.err.println("[it] stop-domain failed, killing the domain process: " + e.getMessage());
            killQuietly();
        }
        started = false;
    }

    /** stop-domain + start-domain (the deployed EAR comes back from the domain's config). */
    public PayaraServerDomain restart() {
        stop();
        return start();
    }

    /**
     * Creates or updates server-level system properties. '\', ':' and '=' in names and values are escaped for
     * asadmin (its parser rejects an unescaped '=' in a value). Values must not contain line breaks; asadmin
     * trims leading and trailing blanks.
     */
    public void setSystemProperties(Map<String, String> properties) {
        String arg = properties.entrySet().stream()
                .map(e -> escape(e.getKey()) + "=" + escape(e.getValue()))
                .collect(Collectors.joining(":"));
        remote(Duration.ofMinutes(1), "create-system-properties", "--target", "server", arg);
        config.putAll(properties);
    }

    /** Deploys (or, with force, redeploys) an archive and waits until {@code GET /ping} answers 200. */
    public Duration deploy(Path archive) {
        long t0 = System.nanoTime();
        remote(Duration.ofMinutes(5), "deploy", "--force=true", "--name", "parley", archive.toString());
        awaitPing(Duration.ofSeconds(120));
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        System.out.printf("[it] %s deployed to domain %s in %.1f s%n", archive.getFileName(), name, took.toMillis() / 1000.0);
        return took;
    }

    public void undeploy() {
        remote(Duration.ofMinutes(2), "undeploy", "parley");
    }

    /** Waits until {@code GET /ping} is 200; fails with the server.log tail. */
    public void awaitPing(Duration timeout) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest ping = HttpRequest.newBuilder(URI.create(baseUrl() + "/ping")).timeout(Duration.ofSeconds(5)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> r = client.send(ping, HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
                last = "HTTP " + r.statusCode() + " " + r.body();
            } catch (IOException e) {
                last = e.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException("GET " + baseUrl() + "/ping did not answer 200 within " + timeout.toSeconds()
                + " s (last: " + last + "). Last lines of " + serverLog() + ":\n" + Logs.tail(serverLog(), 80));
    }

    /** Runs a remote asadmin subcommand against this domain's admin port, e.g. {@code remote(d, "list-applications")}. */
    public AsadminResult remote(Duration timeout, String... subcommandAndArgs) {
        List<String> args = new ArrayList<>(List.of("--port", String.valueOf(adminPort()), "--host", "localhost"));
        args.addAll(List.of(subcommandAndArgs));
        return asadmin(timeout, args.toArray(String[]::new));
    }

    /** Runs asadmin (as a user: {@code --user admin --interactive=false} first); throws with the output on exit != 0. */
    public AsadminResult asadmin(Duration timeout, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(home.resolve("bin/asadmin").toString());
        cmd.add("--user");
        cmd.add("admin");
        cmd.add("--interactive=false");
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("AS_JAVA", System.getProperty("java.home"));
        pb.environment().remove("AS_ADMIN_PASSWORDFILE");
        Path out;
        long t0 = System.nanoTime();
        Process p;
        try {
            out = Files.createTempFile(ItPaths.targetDir(), "asadmin-", ".out");
            pb.redirectOutput(out.toFile());
            p = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + cmd, e);
        }
        boolean finished;
        try {
            finished = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            finished = false;
        }
        if (!finished) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        String output = Logs.read(out);
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        try {
            Files.deleteIfExists(out);
            Files.writeString(asadminLog, "$ " + String.join(" ", cmd) + "\n" + output
                    + String.format("(exit %s, %.1f s)%n%n", finished ? p.exitValue() : "timeout", took.toMillis() / 1000.0),
                    StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException ignored) {
            // the log is a convenience
        }
        if (!finished) {
            throw new IllegalStateException("asadmin " + String.join(" ", args) + " did not finish within "
                    + timeout.toSeconds() + " s. Output:\n" + output + serverLogTail());
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException("asadmin " + String.join(" ", args) + " failed with exit code "
                    + p.exitValue() + ". Output:\n" + output + serverLogTail());
        }
        return new AsadminResult(output, took);
    }

    /** stop-domain (or kill) and delete-domain. Idempotent; never throws. */
    @Override
    public void close() {
        try {
            stop();
        } catch (RuntimeException e) {
            System.err.println("[it] " + e.getMessage());
        }
        killQuietly();
        if (created) {
            try {
                // Keep the server log for post-mortems: delete-domain removes it.
                java.nio.file.Files.copy(serverLog(), ItPaths.targetDir().resolve(name + "-server.log"),
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            } catch (java.io.IOException | RuntimeException e) {
                System.err.println("[it] could not keep the server log: " + e.getMessage());
            }
            try {
                asadmin(Duration.ofMinutes(1), "delete-domain", "--domaindir", domainsDir.toString(), name);
            } catch (RuntimeException e) {
                System.err.println("[it] delete-domain failed: " + e.getMessage());
            }
            created = false;
        }
        LIVE.remove(this);
    }

    public String baseUrl() {
        return "http://localhost:" + httpPort();
    }

    public int portBase() {
        return portBase;
    }

    public int httpPort() {
        return portBase + 80;
    }

    public int adminPort() {
        return portBase + 48;
    }

    public String name() {
        return name;
    }

    public Path domainDir() {
        return domainsDir.resolve(name);
    }

    public Path serverLog() {
        return domainDir().resolve("logs/server.log");
    }

    /** Every asadmin command line with its output. */
    public Path asadminLog() {
        return asadminLog;
    }

    public Map<String, String> config() {
        return Map.copyOf(config);
    }

    /** The PID of the running DAS from its pid file, if any. */
    public Optional<ProcessHandle> process() {
        Path pidFile = domainDir().resolve("config/pid");
        try {
            if (Files.exists(pidFile)) {
                long pid = Long.parseLong(Files.readString(pidFile).trim());
                return ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
            }
        } catch (IOException | NumberFormatException ignored) {
            // no pid
        }
        return Optional.empty();
    }

    private void killQuietly() {
        process().ifPresent(ph -> {
            ph.destroyForcibly();
            ph.onExit().orTimeout(20, TimeUnit.SECONDS).exceptionally(t -> ph).join();
        });
        started = false;
    }

    private String serverLogTail() {
        return Files.exists(serverLog()) ? "\nLast lines of " + serverLog() + ":\n" + Logs.tail(serverLog(), 80) : "";
    }

    static String escape(String s) {
        return s.replace("\\", "\\\\").replace(":", "\\:").replace("=", "\\=");
    }

    public record AsadminResult(String output, Duration took) {
    }

    public static final class Builder {
        private final Map<String, String> config = new LinkedHashMap<>();
        private String name = "parleyit";

        private Builder() {
        }

        public Builder name(String name) {
            this.name = name;
            return this;
        }

        public Builder config(Map<String, String> values) {
            config.putAll(values);
            return this;
        }

        public Builder property(String key, String value) {
            config.put(key, value);
            return this;
        }

        public PayaraServerDomain build() {
            return new PayaraServerDomain(this);
        }
    }
}
