package dev.parley.runtime.persistence;

/** A concurrent writer won a race (same new contact or session); the whole transaction is retried. */
public class RetryTransactionException extends RuntimeException {
    public RetryTransactionException(Throwable cause) {
        super("concurrent update, retrying", cause);
    }
}
