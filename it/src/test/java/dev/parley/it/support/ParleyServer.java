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
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * The real Parley WAR on Payara Micro, in a child JVM:
 * <pre>
 * java -Xmx512m -jar target/payara-micro.jar --nohazelcast --port P --maxHttpThreads 16 --rootDir target/micro-N-root
 *      --deploy target/parley.war:/ --systemProperties target/micro-N.properties [--addLibs a.jar:b.jar]
 * </pre>
 * The config map is written into the properties file, with {@code parley.public-url=http://localhost:P} and a
 * file H2 database under {@code target/micro-N-db} added unless the caller set them. Output goes to
 * {@code target/micro-N.log}. {@link #start()} returns once {@code GET /ping} answers 200.
 *
 * <pre>
 * try (ParleyServer parley = ParleyServer.builder().property("parley.admin.password", "s").build().start()) {
 *     Http.of(parley.baseUrl()).get("/ping");
 * }
 * </pre>
 * Every child is killed when the test JVM exits, whatever happens (shutdown hook).
 */
public final class ParleyServer implements AutoCloseable {

    public static final Duration DEFAULT_STARTUP_TIMEOUT = Duration.ofSeconds(180);
    private static final int TAIL_LINES = 80;
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static final Set<ParleyServer> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(ParleyServer::kill), "parley-it-reaper"));
    }

    private final String name;
    private final int port;
    private final Map<String, String> config;
    private final List<Path> addLibs;
    private final List<String> jvmArgs;
    private final List<String> extraMicroArgs;
    private final Path war;
    private final Path rootDir;
    private final Path dbDir;
    private final Path propertiesFile;
    private final Path logFile;
    private final Duration startupTimeout;
    private Process process;
    private int starts;
    private Duration lastStartupTime;

    private ParleyServer(Builder b) {
        int n = COUNTER.incrementAndGet();
        Path target = ItPaths.targetDir();
        this.name = b.name != null ? b.name : "micro-" + n;
        this.port = b.port > 0 ? b.port : FreePorts.find();
        this.war = b.war; // null = target/parley.war, resolved at start
        this.rootDir = target.resolve(name + "-root");
        this.dbDir = target.resolve(name + "-db");
        this.propertiesFile = target.resolve(name + ".properties");
        this.logFile = target.resolve(name + ".log");
        this.addLibs = List.copyOf(b.addLibs);
        this.jvmArgs = List.copyOf(b.jvmArgs);
        this.extraMicroArgs = List.copyOf(b.microArgs);
        this.startupTimeout = b.startupTimeout;
        Map<String, String> c = new LinkedHashMap<>();
        c.put("parley.public-url", "http://localhost:" + port);
        c.put("parley.datasource.url", "jdbc:h2:file:" + dbDir.resolve("parley") + ";DB_CLOSE_ON_EXIT=FALSE;LOCK_TIMEOUT=10000;WRITE_DELAY=0;QUERY_CACHE_SIZE=64");
        b.config.forEach((k, v) -> {
            if (v == null) {
                c.remove(k);
            } else {
                c.put(k, v);
            }
        });
        this.config = Collections.synchronizedMap(c);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Starts the child and waits for {@code GET /ping} = 200. Throws (with the log tail) on failure or timeout. */
    public synchronized ParleyServer start() {
        if (isRunning()) {
            throw new IllegalStateException(name + " is already running");
        }
        try {
            if (starts == 0) {
                // a fresh instance: nothing left over from an earlier test run (restart() keeps db and log)
                deleteRecursively(dbDir);
                Files.deleteIfExists(logFile);
            }
            // Always a fresh rootDir: a reused one still lists the WAR from the last run, so Micro would deploy
            // it from there AND from --deploy (answering 503 in between).
            deleteRecursively(rootDir);
            Files.createDirectories(rootDir);
            Files.createDirectories(dbDir);
            PropertiesFiles.write(propertiesFile, config(), "Parley config for " + name + " (written by the it harness)");
            Files.writeString(logFile, "==== " + LocalDateTime.now() + " start #" + (starts + 1) + ": "
                    + String.join(" ", command()) + "\n", StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ProcessBuilder pb = new ProcessBuilder(command())
                .directory(ItPaths.targetDir().toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        long t0 = System.nanoTime();
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + pb.command(), e);
        }
        LIVE.add(this);
        starts++;
        try {
            awaitReady(t0);
        } catch (RuntimeException | Error e) {
            kill();
            throw e;
        }
        lastStartupTime = Duration.ofNanos(System.nanoTime() - t0);
        System.out.printf("[it] %s ready on %s in %.1f s (log %s)%n", name, baseUrl(),
                lastStartupTime.toMillis() / 1000.0, logFile);
        return this;
    }

    /** Stops the child (SIGTERM, then SIGKILL after 20 s) and waits for it to exit. Idempotent. */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        Process p = process;
        p.descendants().forEach(ProcessHandle::destroy);
        p.destroy();
        try {
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor(20, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
        }
        process = null;
        LIVE.remove(this);
    }

    /** Stop, then start with the same port, config and (file) database. */
    public synchronized ParleyServer restart() {
        stop();
        return start();
    }

    @Override
    public void close() {
        stop();
    }

    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    public String baseUrl() {
        return "http://localhost:" + port;
    }

    public URI uri(String path) {
        return URI.create(baseUrl() + (path.startsWith("/") ? path : "/" + path));
    }

    public int port() {
        return port;
    }

    public String name() {
        return name;
    }

    public Path logFile() {
        return logFile;
    }

    /** The last lines of the log (all starts of this server are appended to one file). */
    public String logTail(int lines) {
        return Logs.tail(logFile, lines);
    }

    /** The whole log so far (all starts), e.g. to assert that a secret never appears. */
    public String log() {
        return Logs.read(logFile);
    }

    public Path propertiesFile() {
        return propertiesFile;
    }

    public Path dbDir() {
        return dbDir;
    }

    /** The effective config written to the properties file (includes the harness defaults); a copy. */
    public Map<String, String> config() {
        synchronized (config) {
            return Map.copyOf(config);
        }
    }

    /**
     * Sets (or, with {@code null}, removes) a property for the NEXT start: call {@link #restart()} to apply it.
     * Remember the shared server is shared: put back what you change.
     */
    public ParleyServer configure(String key, String value) {
        if (value == null) {
            config.remove(key);
        } else {
            config.put(key, value);
        }
        return this;
    }

    /**
     * Kills the child with SIGKILL, no graceful shutdown (to test crash recovery); {@link #start()} brings it back
     * with the same port, config and database.
     */
    public synchronized void crash() {
        kill();
    }

    /** Wall time of the last successful start, from launching the JVM to the first 200 on /ping. */
    public Duration lastStartupTime() {
        return lastStartupTime;
    }

    public long pid() {
        Process p = process;
        return p == null ? -1 : p.pid();
    }

    List<String> command() {
        List<String> cmd = new ArrayList<>();
        cmd.add(ItPaths.javaExecutable().toString());
        cmd.add("-Xmx512m");
        // As the README asks operators to: the JDK's HTTP client must not re-send a POST on its own (JDK-6427251).
        cmd.add("-Dsun.net.http.retryPost=false");
        ItPaths.trustStore().ifPresent(store -> cmd.add("-Djavax.net.ssl.trustStore=" + store));
        cmd.addAll(jvmArgs);
        cmd.add("-jar");
        cmd.add(ItPaths.microJar().toString());
        cmd.add("--nohazelcast"); // no data grid: instances coordinate in the database; starts faster, fewer threads
        cmd.add("--port");
        cmd.add(String.valueOf(port));
        cmd.add("--maxHttpThreads");
        cmd.add("16");
        cmd.add("--rootDir");
        cmd.add(rootDir.toString());
        cmd.add("--deploy");
        cmd.add((war != null ? war : ItPaths.war()) + ":/");
        cmd.add("--systemProperties");
        cmd.add(propertiesFile.toString());
        cmd.add("--postbootcommandfile"); // as the run command: Parley serves /openapi and /openapi/ui itself
        cmd.add(ItPaths.postBootCommands().toString());
        if (!addLibs.isEmpty()) {
            cmd.add("--addLibs");
            cmd.add(addLibs.stream().map(p -> p.toAbsolutePath().toString()).collect(Collectors.joining(":")));
        }
        cmd.addAll(extraMicroArgs);
        return cmd;
    }

    private void awaitReady(long t0) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest ping = HttpRequest.newBuilder(uri("/ping")).timeout(Duration.ofSeconds(5)).GET().build();
        long deadline = t0 + startupTimeout.toNanos();
        long logSize = sizeOf(logFile);
        long microReadyAt = 0;
        String last = "no answer yet";
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw failure(name + " exited with code " + process.exitValue() + " before /ping answered.");
            }
            try {
                HttpResponse<String> r = client.send(ping, HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
                last = "HTTP " + r.statusCode();
            } catch (IOException e) {
                last = e.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + name, e);
            }
            // Micro says "ready" even when the deployment failed (it stays up, empty, answering 404): give the app
            // 20 s after that, then fail instead of waiting out the whole timeout. A ping that only times out is a
            // slow first request on a busy machine, not a failed deployment: that waits for the whole timeout.
            if (microReadyAt == 0 && logSinceStartContains(logSize, ") ready in ")) {
                microReadyAt = System.nanoTime();
            }
            if (microReadyAt != 0 && last.startsWith("HTTP 404") && System.nanoTime() - microReadyAt > Duration.ofSeconds(20).toNanos()) {
                throw failure(name + ": Payara Micro is up but GET /ping still answers " + last
                        + " 20 s later: the WAR did not deploy.");
            }
            sleep(500);
        }
        throw failure(name + ": GET " + uri("/ping") + " did not answer 200 within " + startupTimeout.toSeconds()
                + " s (last: " + last + ").");
    }

    private IllegalStateException failure(String message) {
        String text = message + "\nSEVERE records in " + logFile + ":\n" + Logs.severe(logFile, 5)
                + "\nLast " + TAIL_LINES + " lines of " + logFile + ":\n" + logTail(TAIL_LINES);
        System.err.println("[it] " + text);
        return new IllegalStateException(text);
    }

    private boolean logSinceStartContains(long offset, String needle) {
        String all = Logs.read(logFile);
        return all.length() > offset && all.indexOf(needle, (int) Math.min(offset, all.length())) >= 0;
    }

    private static long sizeOf(Path file) {
        try {
            return Files.exists(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    private void kill() {
        Process p = process;
        if (p != null) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            try {
                p.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        process = null;
        LIVE.remove(this);
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (java.util.stream.Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return name + "[" + baseUrl() + (isRunning() ? ", pid " + pid() : ", stopped") + "]";
    }

    public static final class Builder {
        private final Map<String, String> config = new LinkedHashMap<>();
        private final List<Path> addLibs = new ArrayList<>();
        private final List<String> jvmArgs = new ArrayList<>();
        private final List<String> microArgs = new ArrayList<>();
        private String name;
        private int port;
        private Path war;
        private Duration startupTimeout = DEFAULT_STARTUP_TIMEOUT;

        private Builder() {
        }

        /** Parley properties (MicroProfile Config keys) written into the --systemProperties file. */
        public Builder config(Map<String, String> values) {
            values.forEach(this::property);
            return this;
        }

        /** A null value removes the key (also one of the harness defaults). */
        public Builder property(String key, String value) {
            config.put(key, value);
            return this;
        }

        /** Extra jars on Micro's classpath ({@code --addLibs}), e.g. a third-party connector. */
        public Builder addLib(Path... jars) {
            addLibs.addAll(List.of(jars));
            return this;
        }

        /** JVM options for the child (after -Xmx512m), e.g. {@code -Dfoo=bar} or a debug agent. */
        public Builder jvmArg(String... args) {
            jvmArgs.addAll(List.of(args));
            return this;
        }

        /** Extra Payara Micro options, appended after the standard ones. */
        public Builder microArg(String... args) {
            microArgs.addAll(List.of(args));
            return this;
        }

        /** File names under target/ ({@code <name>.log}, {@code <name>-db}, ...); default {@code micro-N}. */
        public Builder name(String name) {
            this.name = name;
            return this;
        }

        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** Deploy another WAR instead of target/parley.war. */
        public Builder war(Path war) {
            this.war = war;
            return this;
        }

        public Builder startupTimeout(Duration timeout) {
            this.startupTimeout = timeout;
            return this;
        }

        /** Creates the server without starting it. */
        public ParleyServer build() {
            return new ParleyServer(this);
        }

        public ParleyServer start() {
            return build().start();
        }
    }
}
