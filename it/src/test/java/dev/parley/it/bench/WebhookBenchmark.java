package dev.parley.it.bench;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import dev.parley.it.support.FreePorts;
import dev.parley.it.support.ParleyServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Load driver (not a test): starts Parley on Payara Micro with Infobip stood in by WireMock, then
 * measures, in the same run, (a) {@code GET /ping} and (b) the inbound SMS webhook with unique message
 * ids, at the same concurrency; and the time from an inbound webhook to its reply reaching the stub.
 * Run: {@code mvn -Pbench -DskipTests verify} (see BENCHMARKS.md). Knobs: -Dbench.concurrency,
 * -Dbench.warmupSeconds, -Dbench.seconds, -Dbench.jvmArgs (extra options for the server JVM, e.g. a JFR recording).
 */
public final class WebhookBenchmark {

    private static final Pattern TO = Pattern.compile("\"to\"\\s*:\\s*\"(\\d+)\"");

    private final int concurrency = Integer.getInteger("bench.concurrency", 32);
    private final int warmupSeconds = Integer.getInteger("bench.warmupSeconds", 20);
    private final int seconds = Integer.getInteger("bench.seconds", 20);
    // HTTP/1.1: the default HTTP/2 client tries an h2c upgrade, which stalls POSTs against Grizzly.
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final AtomicLong phone = new AtomicLong(0);
    /** Recipient digits -> nanoTime the reply's send request reached the stub. */
    private final Map<String, Long> replyArrivals = new ConcurrentHashMap<>();
    private final AtomicInteger duplicateReplies = new AtomicInteger();
    /** Recipient digits -> nanoTime the inbound webhook was sent (measured phase only). */
    private final Map<String, Long> inboundSent = new ConcurrentHashMap<>();

    public static void main(String[] args) throws Exception {
        new WebhookBenchmark().run();
    }

    record Result(String name, long requests, long errors, double seconds, long[] latenciesNanos) {
        double rps() { return requests / seconds; }
        double percentileMs(double p) {
            if (latenciesNanos.length == 0) return Double.NaN;
            long[] sorted = latenciesNanos.clone();
            Arrays.sort(sorted);
            return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)] / 1e6;
        }
    }

    void run() throws Exception {
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
        ParleyServer.Builder builder = ParleyServer.builder().name("bench-micro").config(config);
        // Extra JVM options for the server, e.g. a JFR recording: -Dbench.jvmArgs="-XX:StartFlightRecording=..."
        String jvmArgs = System.getProperty("bench.jvmArgs", "").trim();
        if (!jvmArgs.isEmpty()) {
            builder.jvmArg(jvmArgs.split("\\s+"));
        }
        ParleyServer parley = builder.build();
        try {
            parley.start();
            awaitReady(parley);
            String base = parley.baseUrl();
            String auth = "Basic " + Base64.getEncoder().encodeToString("infobip:bench-hook".getBytes(StandardCharsets.UTF_8));

            LongFunction<HttpRequest> ping = i -> HttpRequest.newBuilder(URI.create(base + "/ping")).GET().build();
            LongFunction<HttpRequest> webhook = i -> inbound(base + "/channel/bench/webhook/sms", auth, nextPhone());
            LongFunction<HttpRequest> quiet = i -> inbound(base + "/channel/quiet/webhook/sms", auth,
                    "4178" + String.format("%07d", quietPhone.incrementAndGet() % 10_000_000));

            System.out.printf("warm-up %d s per endpoint, then %d s measured, %d concurrent connections%n",
                    warmupSeconds, seconds, concurrency);
            load("ping (warm-up)", ping, warmupSeconds, false);
            Result a = load("(a) GET /ping", ping, seconds, false);
            load("webhook (warm-up)", webhook, warmupSeconds, false);
            drain(Duration.ofSeconds(120));
            long bStart = System.nanoTime();
            Result b = load("(b) POST /channel/bench/webhook/sms", webhook, seconds, true);
            long bEnd = System.nanoTime();
            boolean allReplied = drain(Duration.ofSeconds(120));
            load("ingest only (warm-up)", quiet, warmupSeconds, false);
            Result c = load("(c) same webhook, no agent (ingest only)", quiet, seconds, false);

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
            String report = report(a, b, c, r, allReplied, replies);
            System.out.println(report);
            Path out = Path.of(System.getProperty("parley.it.targetDir", "target"), "benchmark.md");
            Files.writeString(out, report);
            System.out.println("written to " + out);
        } finally {
            parley.stop();
            infobip.stop();
        }
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
        long end = System.nanoTime() + Duration.ofSeconds(durationSeconds).toNanos();
        AtomicLong count = new AtomicLong();
        AtomicLong errors = new AtomicLong();
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
        System.out.printf("%-40s %8.0f req/s  p50 %6.1f ms  p99 %6.1f ms  errors %d%n",
                name, r.rps(), r.percentileMs(0.50), r.percentileMs(0.99), r.errors());
        return r;
    }

    /** Waits until every inbound sent so far has its reply at the stub. */
    private boolean drain(Duration patience) throws InterruptedException {
        long end = System.nanoTime() + patience.toNanos();
        while (System.nanoTime() < end) {
            if (replyArrivals.size() >= phone.get()) return true;
            Thread.sleep(200);
        }
        return false;
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

    private String report(Result a, Result b, Result c, Result reply, boolean allReplied, Replies replies) {
        StringBuilder s = new StringBuilder();
        s.append("| endpoint | requests/s | p50 ms | p99 ms | errors |\n|---|---|---|---|---|\n");
        for (Result r : List.of(a, b, c)) {
            s.append(String.format("| %s | %.0f | %.1f | %.1f | %d |%n", r.name(), r.rps(), r.percentileMs(0.5), r.percentileMs(0.99), r.errors()));
        }
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
        s.append(String.format("machine: %d cores, %s %s, Java %s; concurrency %d; %d s warm-up + %d s measured per endpoint%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("os.name"), System.getProperty("os.arch"),
                System.getProperty("java.version"), concurrency, warmupSeconds, seconds));
        return s.toString();
    }
}
