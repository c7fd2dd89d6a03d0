package dev.latchkey.jdbc.lease;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

import dev.latchkey.jdbc.sql.SqlWork;
import dev.latchkey.jdbc.sql.TransactionRunner;
import dev.latchkey.lease.Lease;
import dev.latchkey.lease.LeaseLostException;
import dev.latchkey.lease.spi.ManagedLease;
import org.jetbrains.annotations.NotNull;

/**
 * A lease held in the database, with fenced transactions: see {@link Lease} for the guarantees of
 * every lease. Thread-safe.
 *
 * <p><b>Fencing.</b> {@link #runFenced(SqlWork)} is how a holder writes to the same database
 * safely: the transaction's first statement checks that the lease row still carries this
 * acquisition's token and has not expired, and locks the row; an acquisition by anyone else
 * changes the token and so must wait until the transaction ends. A holder that paused (GC, a
 * parked thread, a frozen VM) past its expiry and was taken over therefore cannot commit a single
 * write: its check finds the new token. For resources the transaction does not cover, store
 * {@link #fencingToken()} with each write and refuse lower ones (the update builders'
 * {@code fencedBy(column, lease)}).
 */
public final class JdbcLease implements Lease {
    private final ManagedLease lease;
    private final JdbcLeaseBackend backend;
    private final TransactionRunner transactions;

    JdbcLease(ManagedLease lease, JdbcLeaseBackend backend, TransactionRunner transactions) {
        this.lease = lease;
        this.backend = backend;
        this.transactions = transactions;
    }

    /**
     * Runs the work in a fenced transaction of the Latchkey's transaction runner (joining the
     * transaction this thread already runs on the data source, as the runner does; retried on
     * transient failures). Costs one statement more than the work: the check at its start.
     *
     * @param work the unit of work; may run more than once (retries)
     * @param <T> the result type
     * @return what the work returned in the attempt that committed
     * @throws LeaseLostException if the lease is not held (checked locally, no statement) or the
     *         check finds it expired or taken over; nothing the transaction did is committed, the
     *         lease is then lost and its callback told. Not retried.
     * @throws NullPointerException if {@code work} is {@code null}
     * @throws RuntimeException whatever the runner throws for the work (translated failures)
     */
    public <T> T runFenced(@NotNull SqlWork<T> work) {
        return runFenced(transactions, work);
    }

    /**
     * Runs the work in a fenced transaction of the given runner (another isolation level, retry
     * policy or propagation); otherwise as {@link #runFenced(SqlWork)}.
     *
     * @param transactions the runner, e.g. {@code latchkey.transactions().withIsolation(..)}
     * @param work the unit of work
     * @param <T> the result type
     * @return what the work returned in the attempt that committed
     * @throws LeaseLostException if the lease is not held or the check finds it expired or taken over
     * @throws NullPointerException if an argument is {@code null}
     */
    public <T> T runFenced(@NotNull TransactionRunner transactions, @NotNull SqlWork<T> work) {
        Objects.requireNonNull(transactions, "transactions");
        Objects.requireNonNull(work, "work");
        lease.checkHeld();
        return transactions.run(c -> {
            lease.checkHeld();
            if (!backend.fence(c, lease.name(), lease.fencingToken())) {
                lease.lost("had expired or been taken over when a fenced transaction checked it", null);
                throw lease.lostException().orElseThrow();
            }
            return work.apply(c);
        });
    }

    @Override
    public @NotNull String name() {
        return lease.name();
    }

    @Override
    public long fencingToken() {
        return lease.fencingToken();
    }

    @Override
    public boolean isHeld() {
        return lease.isHeld();
    }

    @Override
    public void checkHeld() {
        lease.checkHeld();
    }

    @Override
    public @NotNull Instant expiresAt() {
        return lease.expiresAt();
    }

    /**
     * {@inheritDoc}
     *
     * <p>One statement on a connection of its own, committed at once.
     *
     * @throws IllegalStateException if this thread runs a transaction on the data source (inside
     *         {@code runFenced}, say): the extension would need a second connection; refused
     *         before anything changes, so the lease stays held
     */
    @Override
    public void extend(@NotNull Duration by) {
        backend.requireNoTransaction("extension of lease " + lease.name());
        lease.extend(by);
    }

    /**
     * {@inheritDoc}
     *
     * <p>One statement on a connection of its own, committed at once.
     *
     * @throws IllegalStateException if this thread runs a transaction on the data source (inside
     *         {@code runFenced}, say): the release would need a second connection; refused before
     *         anything changes, so the lease stays held
     */
    @Override
    public boolean release() {
        backend.requireNoTransaction("release of lease " + lease.name());
        return lease.release();
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalStateException as {@link #release()}, inside a transaction on the data source
     */
    @Override
    public void close() {
        release();
    }

    @Override
    public String toString() {
        return lease.toString();
    }
}
