package dev.parley.spi;

import java.time.Duration;
import java.time.Instant;

/**
 * A provider's request budget, shared by every Parley instance on one database: N instances calling one HubSpot or
 * Zendesk account spend one per-10-second and one daily allowance between them. Lent by
 * {@link ConnectionContext#rateLimits()}; take it once when the connection opens. Thread-safe.
 *
 * <p>A bucket is a name the connector chooses, scoped to the provider account (e.g. {@code hubspot:<portalId>:10s}),
 * so two connections on one account share it and two accounts do not. A bucket allows at most {@code limit} calls in
 * any rolling {@code window}, not only in aligned ones.
 */
public interface RateLimits {

    /**
     * Takes one call from {@code bucket} when it has room.
     *
     * @param limit  calls allowed in any rolling {@code window}; at least 1
     * @param window the window, at most one day
     * @return {@link Duration#ZERO} when the call was taken and may go now; otherwise how long until the bucket may
     *         have room (nothing was taken). A caller waits that long and asks again, or, when it is long, gives the
     *         work back as a {@link RetryableException} with it as Retry-After.
     */
    Duration tryTake(String bucket, int limit, Duration window);

    /**
     * The provider said the bucket is spent (a 429, a daily limit reached, a remaining-count header at 0): no
     * instance takes from it before {@code until}. A later {@code until} extends the pause, an earlier one does not
     * shorten it.
     */
    void pauseUntil(String bucket, Instant until);
}
