package dev.parley.it.bench;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongFunction;

/**
 * Open-loop load: webhooks sent at a fixed arrival rate, each one when it is due whether or not earlier ones have
 * been answered, so a slow server cannot slow the load down. Latencies count from when a request was due, not
 * from when it went out (no coordinated omission). At most {@code maxInFlight} requests are outstanding, to stay
 * within file descriptors; past that the driver sends late, which the result shows as send lag and, still, as
 * latency. After the last response it waits (up to the drain cap) for the replies of every accepted message.
 */
final class OpenLoop {

    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    static final Duration ANSWERED_WITHIN = Duration.ofSeconds(30);

    private final HttpClient http;
    /** Recipient digits -> nanoTime its first reply reached the stub (filled by the stub's listener). */
    private final Map<String, Long> replyArrivals;
    /** Recipients that got more than one reply. */
    private final Set<String> duplicated;
    private final int maxInFlight;
    private final Duration drainCap;

    OpenLoop(HttpClient http, Map<String, Long> replyArrivals, Set<String> duplicated, int maxInFlight, Duration drainCap) {
        this.http = http;
        this.replyArrivals = replyArrivals;
        this.duplicated = duplicated;
        this.maxInFlight = maxInFlight;
        this.drainCap = drainCap;
    }

    /**
     * One phase at the rate, latencies in ms (infinite: no response or no reply). The accepted rate is the 2xx
     * responses over the time from the first request to the last 2xx (at least the phase's length). Replies/s "during"
     * count this phase's replies that reached the stub within the sending window, "until answered" all of them over
     * the time from the first request to the last reply (at least the phase's length).
     */
    record Result(String name, int offeredRate, int sent, int accepted, double acceptedRate, Map<String, Integer> notAccepted,
                  double responseP50, double responseP99, double replyP50, double replyP99, double repliesPerSecondDuring,
                  double repliesPerSecondUntilAnswered, double answeredWithinShare, int lost, int duplicated,
                  boolean allAnswered, double maxSendLagMs, int resent) {
    }

    /** What a phase sent: per request when it was due, its recipient, its status (0: none) and when it came back. */
    private record Sent(long start, long[] due, String[] recipient, int[] status, long[] responded,
                        Map<String, Integer> notAccepted, long maxLagNanos) {
        int size() { return due.length; }
        boolean accepted(int i) { return OpenLoop.accepted(status[i]); }
    }

    Result run(String name, int rate, int seconds, LongFunction<HttpRequest> requests) throws InterruptedException {
        Sent sent = send(rate, seconds, requests);
        boolean allAnswered = WebhookBenchmark.waitUntil(drainCap, () -> {
            for (int i = 0; i < sent.size(); i++) {
                if (sent.accepted(i) && !replyArrivals.containsKey(sent.recipient()[i])) return false;
            }
            return true;
        });
        Result r = evaluate(name, rate, seconds, sent, allAnswered);
        System.out.printf("%-40s offered %4d/s accepted %6.1f/s  webhook p99 %s ms  reply p50 %s p99 %s ms  replies/s %.1f during,"
                        + " %.1f until answered  lost %d dup %d  not accepted %s  503 re-sent %d%n",
                name, rate, r.acceptedRate(), WebhookBenchmark.ms(r.responseP99()), WebhookBenchmark.ms(r.replyP50()),
                WebhookBenchmark.ms(r.replyP99()), r.repliesPerSecondDuring(), r.repliesPerSecondUntilAnswered(), r.lost(),
                r.duplicated(), r.notAccepted(), r.resent());
        return r;
    }

    /** Sends rate x seconds requests, each when due, and waits for every response (or its timeout). */
    private Sent send(int rate, int seconds, LongFunction<HttpRequest> requests) throws InterruptedException {
        int n = rate * seconds;
        long[] due = new long[n];
        String[] recipient = new String[n];
        int[] status = new int[n];
        long[] responded = new long[n];
        Map<String, Integer> notAccepted = new ConcurrentHashMap<>();
        Semaphore inFlight = new Semaphore(maxInFlight);
        CountDownLatch outstanding = new CountDownLatch(n);
        long maxLag = 0;
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            due[i] = start + i * 1_000_000_000L / rate;
            for (long wait = due[i] - System.nanoTime(); wait > 0; wait = due[i] - System.nanoTime()) {
                LockSupport.parkNanos(wait);
            }
            inFlight.acquire();
            HttpRequest request = HttpRequest.newBuilder(requests.apply(i), (header, value) -> true)
                    .timeout(REQUEST_TIMEOUT).build();
            recipient[i] = request.headers().firstValue("X-Bench-To").orElseThrow();
            maxLag = Math.max(maxLag, System.nanoTime() - due[i]);
            int slot = i;
            attempt(request, 1, (response, failure) -> {
                responded[slot] = System.nanoTime();
                if (response != null) {
                    status[slot] = response.statusCode();
                }
                if (!accepted(status[slot])) {
                    notAccepted.merge(response != null ? "HTTP " + response.statusCode() : cause(failure), 1, Integer::sum);
                }
                inFlight.release();
                outstanding.countDown();
            });
        }
        // Every request has a timeout; the margin covers a connect timeout on top of it.
        if (!outstanding.await(REQUEST_TIMEOUT.toSeconds() + 30, TimeUnit.SECONDS)) {
            notAccepted.merge("driver gave up waiting", (int) outstanding.getCount(), Integer::sum);
        }
        return new Sent(start, due, recipient, status, responded, new TreeMap<>(notAccepted), maxLag);
    }

    /** 503s with Retry-After that were waited out and sent again (admission control), over the whole run. */
    private final java.util.concurrent.atomic.AtomicInteger resent = new java.util.concurrent.atomic.AtomicInteger();

    /**
     * Sends the request; a 503 with {@code Retry-After} is sent again after that wait, as a provider retries a delivery
     * (at most {@link #MAX_ATTEMPTS} times). The request stays in flight meanwhile, and its latency counts from when it
     * was first due.
     */
    private void attempt(HttpRequest request, int attempt,
                         java.util.function.BiConsumer<HttpResponse<Void>, Throwable> done) {
        http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, failure) -> {
            java.util.Optional<String> retryAfter = response == null ? java.util.Optional.empty()
                    : response.headers().firstValue("Retry-After");
            if (response != null && response.statusCode() == 503 && retryAfter.isPresent() && attempt < MAX_ATTEMPTS) {
                resent.incrementAndGet();
                java.util.concurrent.CompletableFuture.runAsync(() -> attempt(request, attempt + 1, done),
                        java.util.concurrent.CompletableFuture.delayedExecutor(Long.parseLong(retryAfter.get()), TimeUnit.SECONDS));
                return;
            }
            done.accept(response, failure);
        });
    }

    static final int MAX_ATTEMPTS = 10;

    private Result evaluate(String name, int rate, int seconds, Sent sent, boolean allAnswered) {
        long windowEnd = sent.start() + seconds * 1_000_000_000L;
        long[] responseNanos = new long[sent.size()];
        long[] replyNanos = new long[sent.size()];
        int accepted = 0;
        int answered = 0;
        int answeredWithin = 0;
        int repliesInWindow = 0;
        int lost = 0;
        int duplicates = 0;
        long lastAccepted = sent.start();
        long lastReply = sent.start();
        for (int i = 0; i < sent.size(); i++) {
            long due = sent.due()[i];
            responseNanos[i] = sent.status()[i] == 0 ? Long.MAX_VALUE : sent.responded()[i] - due;
            if (!sent.accepted(i)) continue;
            lastAccepted = Math.max(lastAccepted, sent.responded()[i]);
            if (duplicated.contains(sent.recipient()[i])) duplicates++;
            Long arrived = replyArrivals.get(sent.recipient()[i]);
            if (arrived == null) {
                lost++;
                replyNanos[accepted++] = Long.MAX_VALUE;
                continue;
            }
            long latency = arrived - due;
            replyNanos[accepted++] = latency;
            answered++;
            if (latency <= ANSWERED_WITHIN.toNanos()) answeredWithin++;
            if (arrived <= windowEnd) repliesInWindow++;
            lastReply = Math.max(lastReply, arrived);
        }
        long[] replies = Arrays.copyOf(replyNanos, accepted);
        return new Result(name, rate, sent.size(), accepted, accepted / Math.max(seconds, secondsBetween(sent.start(), lastAccepted)),
                sent.notAccepted(),
                WebhookBenchmark.percentileMs(responseNanos, 0.50), WebhookBenchmark.percentileMs(responseNanos, 0.99),
                WebhookBenchmark.percentileMs(replies, 0.50), WebhookBenchmark.percentileMs(replies, 0.99),
                repliesInWindow / (double) seconds, answered / Math.max(seconds, secondsBetween(sent.start(), lastReply)),
                accepted == 0 ? Double.NaN : answeredWithin / (double) accepted, lost, duplicates, allAnswered,
                sent.maxLagNanos() / 1e6, resent.getAndSet(0));
    }

    private static boolean accepted(int status) {
        return status >= 200 && status < 300;
    }

    private static double secondsBetween(long from, long to) {
        return (to - from) / 1e9;
    }

    private static String cause(Throwable failure) {
        Throwable t = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        return t == null ? "no response" : t.getClass().getSimpleName();
    }
}
