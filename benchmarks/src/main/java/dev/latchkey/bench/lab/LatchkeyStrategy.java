package dev.latchkey.bench.lab;

import java.time.Duration;

import dev.latchkey.StaleVersionException;
import dev.latchkey.idempotency.Fingerprint;
import dev.latchkey.idempotency.IdempotencyKey;
import dev.latchkey.idempotency.IdempotencyKeyInUseException;
import dev.latchkey.idempotency.IdempotencyPolicy;
import dev.latchkey.idempotency.IdempotentResult;
import dev.latchkey.idempotency.StoredResponse;
import dev.latchkey.jdbc.idempotency.TransactionalIdempotency;
import dev.latchkey.retry.RetryPolicy;

/**
 * A purchase the Latchkey way: one transaction of the transaction runner claims the request key
 * in the JDBC idempotency store, lets the {@link Seller} take the stock and record the order,
 * and stores the answer; it commits all of that or nothing. A send of a key that finished
 * replays its answer without selling again; a send while the first is still running waits for
 * it on the key's row, then replays. A transaction that loses a race (deadlock, serialization
 * failure, stale version) is re-run whole, with backoff; each re-run counts as a retry.
 */
final class LatchkeyStrategy implements Strategy {
    private static final String SCOPE = "POST /orders";

    private final String id;
    private final String title;
    private final String description;
    private final Seller seller;
    private final TransactionalIdempotency idempotency;

    LatchkeyStrategy(String id, String title, String description, LabContext context, Seller seller) {
        this.id = id;
        this.title = title;
        this.description = description;
        this.seller = seller;
        RetryPolicy retry = RetryPolicy.builder()
                .maxAttempts(100)
                .backoff(Duration.ofMillis(1), Duration.ofMillis(50), 2.0)
                .alsoRetryOn(StaleVersionException.class)
                .onRetry(event -> context.retries().increment())
                .build();
        this.idempotency = context.idempotencyStore().transactional(IdempotencyPolicy.defaults())
                .withTransactions(context.latchkey().transactions().withRetry(retry));
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String title() {
        return title;
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public boolean latchkey() {
        return true;
    }

    @Override
    public Outcome purchase(Purchase p) {
        IdempotentResult<StoredResponse> result;
        try {
            result = idempotency.execute(IdempotencyKey.of(SCOPE, p.key()), Fingerprint.sha256(p.body()),
                    tx -> StoredResponse.ofText(200, "text/plain", seller.sell(tx, p).name()));
        } catch (IdempotencyKeyInUseException e) {
            return Outcome.IN_FLIGHT;
        }
        return result.isReplayed() ? Outcome.REPLAYED : Outcome.valueOf(result.value().bodyAsText());
    }
}
