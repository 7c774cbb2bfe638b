package dev.parley.it.bench;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import dev.parley.it.support.FreePorts;
import dev.parley.it.support.ParleyServer;
import dev.parley.it.support.Postgres;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.LongFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Load driver (not a test): starts Parley on Payara Micro with Infobip stood in by WireMock, then
 * measures, in the same run, (a) {@code GET /ping} and (b) the inbound SMS webhook with unique message
 * ids, at the same concurrency; (c) the webhook with no agent (ingest only); and the time from an inbound
 * webhook to its reply reaching the stub. Then, open loop, the webhook with reply at fixed arrival rates
 * ({@link OpenLoop}). Throughout, it samples the server process's RSS.
 * Run: {@code mvn -Pbench -DskipTests verify} (see BENCHMARKS.md). Knobs: -Dbench.concurrency,
 * -Dbench.warmupSeconds, -Dbench.seconds, -Dbench.jvmArgs (extra options for the server JVM, e.g. a JFR recording),
 * -Dbench.db (h2 or postgres), -Dbench.mode (both, closed or open), -Dbench.rates, -Dbench.rateSeconds,
 * -Dbench.drainSeconds, -Dbench.maxInFlight, -Dbench.storedMessages (phase (b) again after seeding that many stored
 * messages, see {@link HistorySeeder}).
 */
public final class WebhookBenchmark {

    private static final Pattern TO = Pattern.compile("\"to\"\\s*:\\s*\"(\\d+)\"");
    /** The open loop's target: the highest arrival rate whose webhook -> reply p99 stays within this. */
    private static final double REPLY_P99_TARGET_MS = 250;
    private static final Duration RSS_PERIOD = Duration.ofMillis(250);

    private final int concurrency = Integer.getInteger("bench.concurrency", 32);
    private final int warmupSeconds = Integer.getInteger("bench.warmupSeconds", 20);
    private final int seconds = Integer.getInteger("bench.seconds", 20);
    private final Mode mode = Mode.valueOf(System.getProperty("bench.mode", "both").toUpperCase(Locale.ROOT));
    private final int[] rates = Arrays.stream(System.getProperty("bench.rates", "50,100,200,400").split(","))
            .map(String::trim).filter(r -> !r.isEmpty()).mapToInt(Integer::parseInt).toArray();
    private final int rateSeconds = Integer.getInteger("bench.rateSeconds", 20);
    private final int drainSeconds = Integer.getInteger("bench.drainSeconds", 60);
    private final int maxInFlight = Integer.getInteger("bench.maxInFlight", 1000);
    /** -Dbench.storedMessages: when above 0, (b) is measured on the empty database and again after seeding this many. */
    private final long storedMessages = Long.getLong("bench.storedMessages", 0);
    // HTTP/1.1: the default HTTP/2 client tries an h2c upgrade, which stalls POSTs against Grizzly.
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final AtomicLong phone = new AtomicLong(0);
    /** Recipient digits -> nanoTime the reply's send request reached the stub. */
    private final Map<String, Long> replyArrivals = new ConcurrentHashMap<>();
    private final AtomicInteger duplicateReplies = new AtomicInteger();
    /** Recipient digits that got more than one reply. */
    private final Set<String> duplicatedRecipients = ConcurrentHashMap.newKeySet();
    /** Recipient digits -> nanoTime the inbound webhook was sent (measured phase only). */
    private final Map<String, Long> inboundSent = new ConcurrentHashMap<>();
    /** The server process's RSS, sampled from its start to the end of the run. */
    private RssSampler serverRss;

    /** -Dbench.mode: both (closed loop, then open loop), closed, or open (webhook warm-up and (c), then the open loop). */
    private enum Mode { BOTH, CLOSED, OPEN }

    public static void main(String[] args) throws Exception {
        new WebhookBenchmark().run();
    }

    /** Closed-loop phase name -> 503s with Retry-After its clients waited out and re-sent. */
    private final Map<String, Long> shedByPhase = new java.util.concurrent.ConcurrentHashMap<>();

    record Result(String name, long requests, long errors, double seconds, long[] latenciesNanos) {
        double rps() { return requests / seconds; }
        double percentileMs(double p) {
            return WebhookBenchmark.percentileMs(latenciesNanos, p);
        }
    }

    /** The p-th percentile in ms; Long.MAX_VALUE stands for "never" (no response, no reply) and gives infinity. */
    static double percentileMs(long[] nanos, double p) {
        if (nanos.length == 0) return Double.NaN;
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        long value = sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
        return value == Long.MAX_VALUE ? Double.POSITIVE_INFINITY : value / 1e6;
    }

    /** A latency in ms for the report: "∞" for never, "–" for no data. */
    static String ms(double millis) {
        if (Double.isNaN(millis)) return "–";
        return Double.isInfinite(millis) ? "∞" : String.format("%.1f", millis);
    }

    /**
     * The database the server runs on, as the report names it, and the server config pointing Parley at it.
     *
     * @param postgres the embedded PostgreSQL's database, or null for H2
     */
    private record Database(String description, Map<String, String> serverConfig, Postgres.Database postgres) {
        HistorySeeder.Dialect dialect() {
            return postgres == null ? HistorySeeder.Dialect.H2 : HistorySeeder.Dialect.POSTGRES;
        }
    }

    /** -Dbench.db=h2 (default: ParleyServer's file database) or postgres (an embedded PostgreSQL, as PostgresParley uses). */
    private static Database database() {
        String db = System.getProperty("bench.db", "h2");
        return switch (db) {
            case "h2" -> new Database("H2, file database (the harness default, WRITE_DELAY=0)", Map.of(), null);
            case "postgres" -> {
                Postgres.Database pg = Postgres.newDatabase();
                // synchronous_commit: io.zonky turns it off by default, so say what the server really ran with
                String settings = Stream.of("max_connections", "synchronous_commit", "fsync")
                        .map(name -> name + "=" + pg.column("SHOW " + name).get(0)).collect(Collectors.joining(", "));
                yield new Database("PostgreSQL " + pg.column("SHOW server_version").get(0) + " (embedded io.zonky on the same"
                        + " machine, " + settings + ")", pg.parleyConfig(), pg);
            }
            default -> throw new IllegalArgumentException("-Dbench.db must be h2 or postgres, not " + db);
        };
    }

    void run() throws Exception {
        if (storedMessages > 0 && mode == Mode.OPEN) {
            throw new IllegalArgumentException("-Dbench.storedMessages measures phase (b): use it with -Dbench.mode=both or closed");
        }
        Database database = database();
        WireMockServer infobip = new WireMockServer(WireMockConfiguration.options().port(FreePorts.find())
                .bindAddress("127.0.0.1").containerThreads(64).disableRequestJournal());
        infobip.stubFor(get(urlPathEqualTo("/account/1/balance"))
                .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody("{\"balance\":10,\"currency\":\"EUR\"}")));
        infobip.stubFor(post(urlPathEqualTo("/sms/3/messages")).willReturn(aResponse()
                .withHeader("Content-Type", "application/json")
                .withBody("{\"bulkId\":\"b\",\"messages\":[{\"messageId\":\"m\",\"status\":{\"groupId\":1,\"groupName\":\"PENDING\",\"id\":26,\"name\":\"PENDING_ACCEPTED\"}}]}")));
        infobip.addMockServiceRequestListener((request, response) -> {
            if (request.getUrl().startsWith("/sms/3/messages")) {
                Matcher m = TO.matcher(request.getBodyAsString());
                if (m.find() && replyArrivals.putIfAbsent(m.group(1), System.nanoTime()) != null) {
                    duplicateReplies.incrementAndGet();
                    duplicatedRecipients.add(m.group(1));
                }
            }
        });
        infobip.start();

        Map<String, String> config = new LinkedHashMap<>();
        config.put("parley.admin.password", "bench");
        config.put("parley.connection.bench.type", "infobip-sms");
        config.put("parley.connection.bench.base-url", "http://127.0.0.1:" + infobip.port());
        config.put("parley.connection.bench.api-key", "bench-key");
        config.put("parley.connection.bench.sender", "Parley");
        config.put("parley.connection.bench.webhook-password", "bench-hook");
        config.put("parley.agent.bench.inbound", "bench");
        config.put("parley.agent.bench.fallback", "Thanks, noted.");
        // (c) the same webhook on a connection no agent answers: the cost of ingest alone.
        config.put("parley.connection.quiet.type", "infobip-sms");
        config.put("parley.connection.quiet.base-url", "http://127.0.0.1:" + infobip.port());
        config.put("parley.connection.quiet.api-key", "bench-key");
        config.put("parley.connection.quiet.sender", "Parley");
        config.put("parley.connection.quiet.webhook-password", "bench-hook");
        config.putAll(database.serverConfig());
        ParleyServer.Builder builder = ParleyServer.builder().name("bench-micro").config(config);
        // Extra JVM options for the server, e.g. a JFR recording: -Dbench.jvmArgs="-XX:StartFlightRecording=..."
        String jvmArgs = System.getProperty("bench.jvmArgs", "").trim();
        if (!jvmArgs.isEmpty()) {
            builder.jvmArg(jvmArgs.split("\\s+"));
        }
        ParleyServer parley = builder.build();
        try {
            long launched = System.nanoTime();
            parley.start();
            awaitReady(parley);
            Duration launchToReady = Duration.ofNanos(System.nanoTime() - launched);
            Duration firstStartup = parley.lastStartupTime();
            serverRss = new RssSampler(parley.pid(), RSS_PERIOD);
            serverRss.begin("idle, after start");
            String base = parley.baseUrl();
            String auth = "Basic " + Base64.getEncoder().encodeToString("infobip:bench-hook".getBytes(StandardCharsets.UTF_8));

            LongFunction<HttpRequest> ping = i -> HttpRequest.newBuilder(URI.create(base + "/ping")).GET().build();
            LongFunction<HttpRequest> webhook = i -> inbound(base + "/channel/bench/webhook/sms", auth, nextPhone());
            LongFunction<HttpRequest> quiet = i -> inbound(base + "/channel/quiet/webhook/sms", auth,
                    "4178" + String.format("%07d", quietPhone.incrementAndGet() % 10_000_000));

            System.out.printf("%s; mode %s; warm-up %d s per endpoint, then %d s measured, %d concurrent connections%n",
                    database.description(), mode.name().toLowerCase(Locale.ROOT), warmupSeconds, seconds, concurrency);
            StringBuilder report = new StringBuilder();
            Result c = switch (mode) {
                case BOTH, CLOSED -> {
                    load("ping (warm-up)", ping, warmupSeconds, false);
                    Result a = load("(a) GET /ping", ping, seconds, false);
                    warmUp(webhook);
                    PhaseB b = phaseB("(b) POST /channel/bench/webhook/sms", webhook);
                    emptyB = b;
                    Result ingest = ingestOnly(quiet);
                    report.append(report(a, b, ingest));
                    yield ingest;
                }
                case OPEN -> {
                    // (c) is what the open loop's result is measured against
                    warmUp(webhook);
                    Result ingest = ingestOnly(quiet);
                    report.append(endpointTable(List.of(ingest))).append(machine());
                    yield ingest;
                }
            };
            if (mode != Mode.CLOSED) {
                report.append(openLoopReport(openLoop(webhook), c));
            }
            if (storedMessages > 0) {
                report.append(storedMessagesReport(emptyB, seedAndMeasure(database, parley, webhook)));
            }
            report.append(serverReport(database, firstStartup, launchToReady));
            System.out.println(report);
            Path out = Path.of(System.getProperty("parley.it.targetDir", "target"), "benchmark.md");
            Files.writeString(out, report);
            System.out.println("written to " + out);
        } finally {
            if (serverRss != null) serverRss.close();
            parley.stop();
            infobip.stop();
            Postgres.stop();
        }
    }

    /** Webhooks with reply, closed loop, for warmupSeconds; then waits for their replies. */
    private void warmUp(LongFunction<HttpRequest> webhook) throws InterruptedException {
        load("webhook (warm-up)", webhook, warmupSeconds, false);
        drain("webhook (warm-up)");
    }

    /** (c): the webhook on the connection no agent answers, warmed up, then measured. */
    private Result ingestOnly(LongFunction<HttpRequest> quiet) throws InterruptedException {
        load("ingest only (warm-up)", quiet, warmupSeconds, false);
        return load("(c) same webhook, no agent (ingest only)", quiet, seconds, false);
    }

    /** Phase (b) as measured on the empty database (before any seeding). */
    private PhaseB emptyB;

    /**
     * One measured phase (b) and its replies.
     *
     * @param reply      inbound webhook -> reply at the stub, per accepted request (errors: lost, no reply)
     * @param duplicated (b)'s recipients that got more than one reply
     */
    record PhaseB(Result webhook, Result reply, Replies replies, boolean allReplied, long duplicated) {
    }

    /**
     * (b): the webhook with reply, closed loop, for the measured seconds; then waits for its replies and measures them
     * (latency, lost, replies/s during and sustained).
     */
    private PhaseB phaseB(String name, LongFunction<HttpRequest> webhook) throws InterruptedException {
        inboundSent.clear();
        long bStart = System.nanoTime();
        Result b = load(name, webhook, seconds, true);
        long bEnd = System.nanoTime();
        boolean allReplied = drain(name);
        List<Long> toReply = new ArrayList<>();
        long lost = 0;
        for (Map.Entry<String, Long> e : inboundSent.entrySet()) {
            Long arrived = replyArrivals.get(e.getKey());
            if (arrived == null) lost++; else toReply.add(arrived - e.getValue());
        }
        long[] replyLatency = toReply.stream().mapToLong(Long::longValue).toArray();
        Result r = new Result("inbound -> reply at stub", toReply.size(), lost, 1, replyLatency);

        // Replies, not accepted webhooks, are what the reply path delivers: replies that reached the stub while (b)
        // ran, and (b)'s messages over the time until the last of them was answered (the sustained rate).
        long repliesDuringB = replyArrivals.values().stream().filter(t -> t >= bStart && t <= bEnd).count();
        long lastReply = inboundSent.keySet().stream().map(replyArrivals::get).filter(java.util.Objects::nonNull)
                .mapToLong(Long::longValue).max().orElse(bEnd);
        Replies replies = new Replies(repliesDuringB / ((bEnd - bStart) / 1e9),
                inboundSent.size() * 1e9 / (Math.max(lastReply, bEnd) - bStart));
        long duplicated = inboundSent.keySet().stream().filter(duplicatedRecipients::contains).count();
        return new PhaseB(b, r, replies, allReplied, duplicated);
    }

    /**
     * What seeding did; H2 only (null, -1 on PostgreSQL): how long the server took to go down and come back, and the
     * file's compaction.
     */
    record Seeding(HistorySeeder.Seeded seeded, HistorySeeder.Dialect dialect, String how, Duration stop, Duration restart,
                   long bytesBeforeCompact, double compactSeconds, long databaseBytes) {
    }

    /**
     * Seeds {@link #storedMessages} stored messages, warms the webhook up again and measures (b) once more. H2: the
     * server holds the file database's lock, so it is stopped, the file seeded through JDBC, and the server started
     * again on the same data; PostgreSQL: a second connection while the server runs (idle: (b)'s replies are drained).
     */
    private Seeding seedAndMeasure(Database database, ParleyServer parley, LongFunction<HttpRequest> webhook) throws Exception {
        String phase = "seeding " + storedMessages + " stored messages";
        serverRss.begin(phase);
        System.out.println(phase + " (" + database.dialect() + ")");
        HistorySeeder seeder = new HistorySeeder(database.dialect(), "bench", "bench", "Parley");
        Seeding seeding;
        if (database.postgres() == null) {
            long t0 = System.nanoTime();
            parley.stop();
            Duration stop = Duration.ofNanos(System.nanoTime() - t0);
            HistorySeeder.Seeded seeded;
            long bytesBeforeCompact;
            double compactSeconds;
            try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + parley.dbDir().resolve("parley"), "parley", "parley")) {
                seeded = seeder.seed(c, storedMessages);
                bytesBeforeCompact = bytes(parley.dbDir());
                // Bulk inserts leave H2's file mostly garbage (1 M messages: 1.95 GB, 0.31 GB once compacted). A file that
                // grew over days was compacted in the background as it went; this one would be compacted by the server
                // while measured.
                long tc = System.nanoTime();
                HistorySeeder.exec(c, "SHUTDOWN COMPACT");
                compactSeconds = (System.nanoTime() - tc) / 1e9;
            }
            long bytes = bytes(parley.dbDir());
            long t1 = System.nanoTime();
            parley.start();
            awaitReady(parley);
            Duration restart = Duration.ofNanos(System.nanoTime() - t1);
            serverRss.follow(parley.pid());
            seeding = new Seeding(seeded, database.dialect(), "the server stopped, its H2 file seeded through JDBC and compacted, the server started again on it",
                    stop, restart, bytesBeforeCompact, compactSeconds, bytes);
        } else {
            HistorySeeder.Seeded seeded;
            long bytes;
            try (Connection c = database.postgres().connect()) {
                seeded = seeder.seed(c, storedMessages);
                bytes = HistorySeeder.count(c, "SELECT pg_database_size(current_database())");
            }
            seeding = new Seeding(seeded, database.dialect(), "through a second connection while the server ran, idle", null, null,
                    -1, -1, bytes);
        }
        HistorySeeder.Seeded s = seeding.seeded();
        System.out.printf("seeded %d sessions (%d messages) in %.1f s, analyzed in %.1f s%n", s.sessions(),
                s.seeded("chat_message"), s.insertSeconds(), s.analyzeSeconds());
        warmUp(webhook);
        seededB = phaseB("(b) same, after seeding", webhook);
        return seeding;
    }

    private static long bytes(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        }
    }

    /** Phase (b) measured again after seeding. */
    private PhaseB seededB;

    /**
     * The open-loop phases: each rate of -Dbench.rates in turn; then, if none of them is twice the highest rate that
     * met the reply target, that rate too (the overload).
     */
    private List<OpenLoop.Result> openLoop(LongFunction<HttpRequest> webhook) throws InterruptedException {
        System.out.printf("open loop: %d s per rate, drain up to %d s, at most %d requests in flight%n",
                rateSeconds, drainSeconds, maxInFlight);
        OpenLoop openLoop = new OpenLoop(http, replyArrivals, duplicatedRecipients, maxInFlight, Duration.ofSeconds(drainSeconds));
        List<OpenLoop.Result> results = new ArrayList<>();
        for (int rate : rates) {
            results.add(openLoopPhase(openLoop, rate, webhook));
        }
        OpenLoop.Result best = bestWithinTarget(results);
        if (best != null && overloadOf(best, results) == null) {
            results.add(openLoopPhase(openLoop, 2 * best.offeredRate(), webhook));
        }
        return results;
    }

    private OpenLoop.Result openLoopPhase(OpenLoop openLoop, int rate, LongFunction<HttpRequest> webhook) throws InterruptedException {
        String name = "open loop " + rate + "/s";
        serverRss.begin(name);
        return openLoop.run(name, rate, rateSeconds, webhook);
    }

    /** The highest of the -Dbench.rates (not the added overload) whose webhook -> reply p99 met the target; null if none. */
    private OpenLoop.Result bestWithinTarget(List<OpenLoop.Result> results) {
        return results.stream()
                .filter(r -> Arrays.stream(rates).anyMatch(rate -> rate == r.offeredRate()))
                .filter(r -> r.replyP99() <= REPLY_P99_TARGET_MS)
                .max(Comparator.comparingInt(OpenLoop.Result::offeredRate)).orElse(null);
    }

    private static OpenLoop.Result overloadOf(OpenLoop.Result best, List<OpenLoop.Result> results) {
        return results.stream().filter(r -> r.offeredRate() == 2 * best.offeredRate()).findFirst().orElse(null);
    }

    private final AtomicLong quietPhone = new AtomicLong(0);

    private static HttpRequest inbound(String url, String auth, String digits) {
        return HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", auth).header("Content-Type", "application/json")
                .header("X-Bench-To", digits)
                .POST(HttpRequest.BodyPublishers.ofString("{\"results\":[{\"messageId\":\"bench-" + digits
                        + "\",\"from\":\"" + digits + "\",\"to\":\"Parley\",\"text\":\"hello\","
                        + "\"receivedAt\":\"2026-11-21T10:00:00.000+0000\"}],\"messageCount\":1,\"pendingMessageCount\":0}"))
                .build();
    }

    private String nextPhone() {
        // Swiss mobile numbers 4179xxxxxxx: valid for libphonenumber, unique per request.
        return "4179" + String.format("%07d", phone.incrementAndGet() % 10_000_000);
    }

    private Result load(String name, LongFunction<HttpRequest> requests, int durationSeconds, boolean trackReplies)
            throws InterruptedException {
        serverRss.begin(name);
        long end = System.nanoTime() + Duration.ofSeconds(durationSeconds).toNanos();
        AtomicLong count = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        AtomicLong shed = new AtomicLong();
        List<long[]> perThread = new ArrayList<>();
        CountDownLatch done = new CountDownLatch(concurrency);
        long started = System.nanoTime();
        for (int t = 0; t < concurrency; t++) {
            long[] latencies = new long[2_000_000 / concurrency];
            perThread.add(latencies);
            int slot = t;
            Thread worker = new Thread(() -> {
                int n = 0;
                try {
                    while (System.nanoTime() < end) {
                        HttpRequest req = requests.apply(n);
                        long t0 = System.nanoTime();
                        try {
                            HttpResponse<String> resp = http.send(req, HttpResponse.BodyHandlers.ofString());
                            // 503 + Retry-After (admission control): as a provider does, send the same delivery again
                            // after the wait; the latency counts from the first attempt
                            while (resp.statusCode() == 503 && resp.headers().firstValue("Retry-After").isPresent()
                                    && System.nanoTime() < end) {
                                shed.incrementAndGet();
                                long waitMs = Math.min(1000L * Long.parseLong(resp.headers().firstValue("Retry-After").get()),
                                        Math.max(0, (end - System.nanoTime()) / 1_000_000));
                                Thread.sleep(waitMs);
                                resp = http.send(req, HttpResponse.BodyHandlers.ofString());
                            }
                            long t1 = System.nanoTime();
                            if (resp.statusCode() != 200) {
                                errors.incrementAndGet();
                            } else if (trackReplies) {
                                inboundSent.put(req.headers().firstValue("X-Bench-To").orElseThrow(), t0);
                            }
                            if (n < latencies.length) latencies[n++] = t1 - t0;
                            count.incrementAndGet();
                        } catch (IOException e) {
                            errors.incrementAndGet();
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    perThread.set(slot, Arrays.copyOf(latencies, n));
                    done.countDown();
                }
            }, "bench-" + t);
            worker.start();
        }
        done.await();
        double elapsed = (System.nanoTime() - started) / 1e9;
        long[] all = perThread.stream().flatMapToLong(Arrays::stream).toArray();
        Result r = new Result(name, count.get(), errors.get(), elapsed, all);
        System.out.printf("%-40s %8.0f req/s  p50 %6.1f ms  p99 %6.1f ms  errors %d  503 (re-sent after Retry-After) %d%n",
                name, r.rps(), r.percentileMs(0.50), r.percentileMs(0.99), r.errors(), shed.get());
        shedByPhase.put(name, shed.get());
        return r;
    }

    /** Waits (up to 120 s) until every inbound sent so far has its reply at the stub. */
    private boolean drain(String after) throws InterruptedException {
        serverRss.begin(after + ": waiting for its replies");
        return waitUntil(Duration.ofSeconds(120), () -> replyArrivals.size() >= phone.get());
    }

    /** Polls {@code done} every 200 ms; false if it still does not hold after {@code patience}. */
    static boolean waitUntil(Duration patience, BooleanSupplier done) throws InterruptedException {
        long end = System.nanoTime() + patience.toNanos();
        while (System.nanoTime() < end) {
            if (done.getAsBoolean()) return true;
            Thread.sleep(200);
        }
        return done.getAsBoolean();
    }

    private void awaitReady(ParleyServer parley) throws Exception {
        long end = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < end) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(parley.baseUrl() + "/health/ready")).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 200) return;
            Thread.sleep(250);
        }
        throw new IllegalStateException("Parley never became ready");
    }

    /** @param duringB replies/s reaching the stub while (b) ran; sustained: (b)'s messages / time until the last reply */
    record Replies(double duringB, double sustained) {
    }

    private String report(Result a, PhaseB phaseB, Result c) {
        Result b = phaseB.webhook();
        Result reply = phaseB.reply();
        Replies replies = phaseB.replies();
        boolean allReplied = phaseB.allReplied();
        StringBuilder s = new StringBuilder(endpointTable(List.of(a, b, c)));
        s.append(String.format("| (b) replies at the stub while (b) ran | %.0f | | | |%n", replies.duringB()));
        s.append(String.format("| (b) sustained: its messages / time until the last is answered | %.0f | | | |%n", replies.sustained()));
        s.append(String.format("%n(b)/(a) throughput ratio: **%.2f**; (b)/(c): **%.2f**; (c)/(a): %.2f%n", b.rps() / a.rps(),
                b.rps() / c.rps(), c.rps() / a.rps()));
        s.append(String.format("sustained replies (b'): (b')/(a) **%.2f** (target >= 0.2); (b')/(c) **%.2f** (target >= 0.5)%n",
                replies.sustained() / a.rps(), replies.sustained() / c.rps()));
        s.append(String.format("inbound webhook -> reply at the stub: p50 %.1f ms, p99 %.1f ms over %d messages%n",
                reply.percentileMs(0.5), reply.percentileMs(0.99), reply.requests()));
        s.append(String.format("replies: %d inbound accepted (all phases), %d replies at the stub, %d lost in the measured phase, %d duplicated; all replied: %s%n",
                phone.get(), replyArrivals.size(), reply.errors(), duplicateReplies.get(), allReplied));
        s.append(machine());
        return s.toString();
    }

    private String endpointTable(List<Result> results) {
        StringBuilder s = new StringBuilder("| endpoint | requests/s | p50 ms | p99 ms | errors | 503, re-sent after Retry-After |\n"
                + "|---|---|---|---|---|---|\n");
        for (Result r : results) {
            s.append(String.format("| %s | %.0f | %.1f | %.1f | %d | %d |%n", r.name(), r.rps(), r.percentileMs(0.5),
                    r.percentileMs(0.99), r.errors(), shedByPhase.getOrDefault(r.name(), 0L)));
        }
        return s.toString();
    }

    private String machine() {
        return String.format("machine: %d cores, %s %s, Java %s; concurrency %d; %d s warm-up + %d s measured per endpoint%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("os.name"), System.getProperty("os.arch"),
                System.getProperty("java.version"), concurrency, warmupSeconds, seconds);
    }

    private String openLoopReport(List<OpenLoop.Result> results, Result ingestOnly) {
        StringBuilder s = new StringBuilder("\n### Open loop: webhook with reply at fixed arrival rates\n\n");
        s.append(String.format("%d s per rate; every message from a new customer (unique sender and messageId), sent when due"
                        + " whatever the responses (at most %d in flight: past that, sends go late, see send lag). Latencies count"
                        + " from when a request was due. ∞: no response within %d s, or no reply within the drain (up to %d s"
                        + " after the last response); lost: accepted, but no reply within the drain. Replies/s until answered: this"
                        + " phase's replies over the time from its first request to its last reply.%n%n",
                rateSeconds, maxInFlight, OpenLoop.REQUEST_TIMEOUT.toSeconds(), drainSeconds));
        s.append("| offered /s | accepted /s | webhook p50 / p99 ms | reply p50 / p99 ms | replies/s during | replies/s until answered"
                + " | answered ≤ " + OpenLoop.ANSWERED_WITHIN.toSeconds() + " s | lost / dup | not 2xx | 503 re-sent | max send lag ms | server max RSS MB |\n");
        s.append("|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (OpenLoop.Result r : results) {
            s.append(String.format("| %d | %.1f | %s / %s | %s / %s | %.1f | %.1f%s | %.1f %% | %d / %d | %s | %d | %.1f | %.0f |%n",
                    r.offeredRate(), r.acceptedRate(), ms(r.responseP50()), ms(r.responseP99()), ms(r.replyP50()), ms(r.replyP99()),
                    r.repliesPerSecondDuring(), r.repliesPerSecondUntilAnswered(), r.allAnswered() ? "" : " (drain cap hit)",
                    100 * r.answeredWithinShare(), r.lost(), r.duplicated(), notAccepted(r.notAccepted()), r.resent(), r.maxSendLagMs(),
                    serverRss.maxMb(r.name())));
        }
        OpenLoop.Result best = bestWithinTarget(results);
        if (best == null) {
            s.append(String.format("%n- no rate kept webhook -> reply p99 within %.0f ms%n", REPLY_P99_TARGET_MS));
            return s.toString();
        }
        s.append(String.format("%n- highest rate with webhook -> reply p99 <= %.0f ms: **%d/s** = **%.2f ×** (c) ingest only (%.0f req/s)%n",
                REPLY_P99_TARGET_MS, best.offeredRate(), best.offeredRate() / ingestOnly.rps(), ingestOnly.rps()));
        OpenLoop.Result overload = overloadOf(best, results);
        OpenLoop.Result peak = results.stream().max(Comparator.comparingDouble(OpenLoop.Result::repliesPerSecondDuring)).orElseThrow();
        s.append(String.format("- overload at twice that (%d/s): %.1f replies/s while it ran = **%.2f ×** the peak (%.1f replies/s, at %d/s);"
                        + " reply p99 %s ms%n",
                overload.offeredRate(), overload.repliesPerSecondDuring(), overload.repliesPerSecondDuring() / peak.repliesPerSecondDuring(),
                peak.repliesPerSecondDuring(), peak.offeredRate(), ms(overload.replyP99())));
        return s.toString();
    }

    /** Phase (b) on the empty database and after seeding, side by side, and what was seeded. */
    private String storedMessagesReport(PhaseB empty, Seeding seeding) {
        HistorySeeder.Seeded sd = seeding.seeded();
        PhaseB seeded = seededB;
        StringBuilder s = new StringBuilder(String.format("%n### (b) with %,d stored messages%n%n", storedMessages));
        s.append(String.format("(b) was measured on the empty database (above), then again after seeding stored history (%s),"
                + " a webhook warm-up (%d s) and its replies.%s%n%n", seeding.how(), warmupSeconds,
                seeding.restart() == null ? "" : " The seeded (b) ran on a server started afresh (JIT warmed by that warm-up only)."));
        s.append(String.format("- history: %,d sessions of %d messages (%d customer messages each answered once by the bot) on"
                        + " connection bench, contacts +4177…; timestamps %s to %s (sessions start evenly over the %d days before"
                        + " the seeding: all within the default retention, P7D for outbox entries and bot turns, so the purger"
                        + " deletes none of it); dedup receipts for the IN messages of the last %d h%n",
                sd.sessions(), HistorySeeder.MESSAGES_PER_SESSION, HistorySeeder.PAIRS, sd.from(), sd.to(),
                HistorySeeder.HISTORY.toDays(), HistorySeeder.DEDUP_WINDOW.toHours()));
        s.append(String.format("- ids %d to %d (%d per session); parley_seq moved from %d to %d, so the server's next ids come after them%n",
                sd.firstId(), sd.lastId(), HistorySeeder.IDS_PER_SESSION, sd.sequenceBefore(), sd.sequenceAfter()));
        boolean h2 = seeding.dialect() == HistorySeeder.Dialect.H2;
        double total = sd.insertSeconds() + sd.analyzeSeconds() + (h2 ? seeding.compactSeconds() : 0);
        s.append(String.format("- **seeding: %.1f s**: %.1f s of INSERT … SELECT (%s, %,d sessions per statement), %.1f s %s%s%n",
                total, sd.insertSeconds(), h2 ? "SYSTEM_RANGE" : "generate_series", HistorySeeder.CHUNK_SESSIONS,
                sd.analyzeSeconds(), h2 ? "ANALYZE" : "VACUUM ANALYZE of these tables",
                h2 ? String.format(", %.1f s SHUTDOWN COMPACT (a file that grew over days was compacted in the background as it"
                        + " went; this one, %.0f MB after the inserts, would be compacted by the server while measured)",
                        seeding.compactSeconds(), seeding.bytesBeforeCompact() / 1e6) : ""));
        if (h2) {
            s.append(String.format("- the server took %.1f s to stop before and %.1f s to start again after (launch -> /health/ready)%n",
                    seeding.stop().toMillis() / 1000.0, seeding.restart().toMillis() / 1000.0));
        }
        s.append(String.format("- database size after seeding: %.0f MB%n", seeding.databaseBytes() / 1e6));
        s.append(String.format("- seeded sessions with a message or timeline seq at or past their next_seq: %d%n%n", sd.badSequences()));
        s.append("| table | rows before seeding | rows after seeding | seeded (ids in the seeded range) |\n|---|---|---|---|\n");
        sd.rows().forEach((table, r) -> s.append(String.format("| %s | %,d | %,d | %,d |%n", table, r[0], r[1], r[2])));
        s.append(String.format("%n| (b) webhook with reply, closed loop | empty database | after seeding %,d | seeded / empty |%n",
                storedMessages));
        s.append("|---|---|---|---|\n");
        s.append(ratioRow("webhook requests/s", empty.webhook().rps(), seeded.webhook().rps()));
        s.append(ratioRow("webhook p50 ms", empty.webhook().percentileMs(0.5), seeded.webhook().percentileMs(0.5)));
        s.append(ratioRow("webhook p99 ms", empty.webhook().percentileMs(0.99), seeded.webhook().percentileMs(0.99)));
        s.append(ratioRow("replies/s at the stub while (b) ran", empty.replies().duringB(), seeded.replies().duringB()));
        s.append(ratioRow("(b') sustained replies/s (messages / time until the last is answered)",
                empty.replies().sustained(), seeded.replies().sustained()));
        s.append(ratioRow("inbound -> reply p50 ms", empty.reply().percentileMs(0.5), seeded.reply().percentileMs(0.5)));
        s.append(ratioRow("inbound -> reply p99 ms", empty.reply().percentileMs(0.99), seeded.reply().percentileMs(0.99)));
        s.append(String.format("| messages / errors / lost / duplicated | %d / %d / %d / %d | %d / %d / %d / %d | |%n",
                empty.webhook().requests(), empty.webhook().errors(), empty.reply().errors(), empty.duplicated(),
                seeded.webhook().requests(), seeded.webhook().errors(), seeded.reply().errors(), seeded.duplicated()));
        s.append(String.format("%nseeded / empty: webhook req/s **%.2f**, sustained replies/s **%.2f** (target >= 0.9); all"
                        + " replied: %s (empty), %s (seeded)%n", seeded.webhook().rps() / empty.webhook().rps(),
                seeded.replies().sustained() / empty.replies().sustained(), empty.allReplied(), seeded.allReplied()));
        return s.toString();
    }

    private static String ratioRow(String name, double empty, double seeded) {
        return String.format("| %s | %s | %s | %.2f |%n", name, number(empty), number(seeded), seeded / empty);
    }

    private static String number(double v) {
        return Double.isNaN(v) || Double.isInfinite(v) ? ms(v) : v >= 100 ? String.format("%.0f", v) : String.format("%.1f", v);
    }

    private static String notAccepted(Map<String, Integer> byCause) {
        if (byCause.isEmpty()) return "0";
        StringBuilder s = new StringBuilder();
        byCause.forEach((cause, count) -> s.append(s.length() == 0 ? "" : ", ").append(cause).append(": ").append(count));
        return s.toString();
    }

    private String serverReport(Database database, Duration firstStartup, Duration launchToReady) {
        StringBuilder s = new StringBuilder("\n### Server\n\n");
        s.append("- database: ").append(database.description()).append('\n');
        s.append(String.format("- start: launch -> GET /ping 200 in %.1f s, -> GET /health/ready 200 in %.1f s%n",
                firstStartup.toMillis() / 1000.0, launchToReady.toMillis() / 1000.0));
        s.append(String.format("- max RSS of the Payara Micro process (VmRSS every %d ms), per phase:%n%n", RSS_PERIOD.toMillis()));
        s.append("| phase | max RSS MB |\n|---|---|\n");
        serverRss.maxMbByPhase().forEach((phase, mb) -> s.append(String.format("| %s | %.0f |%n", phase, mb)));
        return s.toString();
    }
}
