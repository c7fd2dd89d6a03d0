package dev.latchkey.bench.peers;

import static dev.latchkey.jdbc.update.Expressions.col;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

import javax.sql.DataSource;

import dev.latchkey.RetriesExhaustedException;
import dev.latchkey.jdbc.Latchkey;
import dev.latchkey.jdbc.Transactions;
import dev.latchkey.jdbc.lease.JdbcLease;
import dev.latchkey.jdbc.lease.JdbcLeaseRequest;
import dev.latchkey.jdbc.lease.JdbcLeases;
import dev.latchkey.jdbc.lock.AdvisoryLock;
import dev.latchkey.jdbc.lock.RowLockQuery;
import dev.latchkey.jdbc.update.Update;
import dev.latchkey.retry.RetryPolicy;

/**
 * Latchkey as its README recommends: builders made once and kept (they are immutable values),
 * {@code update(..).modify(..)} or {@code expectVersion(v)} for optimistic updates,
 * {@code require(..)} for the guarded decrement, {@code lock(..).nowait()/skipLocked()/timeout(..)}
 * inside the runner for locking reads, the runner with a retry policy for the transfer, and for
 * the job lock both an advisory lock in a runner transaction and a lease ({@code leases()}).
 */
final class LatchkeyPeer {
    private final Latchkey latchkey;
    private final Update row;
    private final Update takeOne;
    private final Update decrement;
    private final Update putOne;
    private final RetryPolicy immediate;
    private final Transactions once;
    private final Transactions retrying;
    private final Map<Peers.Wait, RowLockQuery> locks = new EnumMap<>(Peers.Wait.class);
    private final AdvisoryLock job;
    private final JdbcLeaseRequest jobLease;

    LatchkeyPeer(DataSource dataSource, String table, String leaseTable, String jobName) {
        latchkey = Latchkey.of(dataSource);
        row = latchkey.update(table);
        takeOne = row.set("stock", col("stock").minus(1L));
        putOne = latchkey.update(table).set("stock", col("stock").plus(1L));
        decrement = takeOne.require(col("stock").ge(1L));
        immediate = RetryPolicy.builder().noBackoff().maxAttempts(Peers.MAX_RETRIES + 1).build();
        once = latchkey.transactions().withRetry(RetryPolicy.none());
        retrying = latchkey.transactions().withRetry(RetryPolicy.builder().maxAttempts(Peers.TRANSFER_ATTEMPTS)
                .backoff(Duration.ofMillis(1), Duration.ofMillis(50), 2.0).build());
        locks.put(Peers.Wait.NOWAIT, latchkey.lock(table).nowait());
        locks.put(Peers.Wait.SKIP_LOCKED, latchkey.lock(table).skipLocked());
        locks.put(Peers.Wait.TIMEOUT_300_MS, latchkey.lock(table).timeout(Duration.ofMillis(Peers.LOCK_TIMEOUT_MS)));
        job = latchkey.advisoryLock(jobName);
        JdbcLeases leases = latchkey.leases().withTable(leaseTable);
        leases.createTableIfNotExists();
        jobLease = leases.lease(jobName);
    }

    /**
     * Optimistic read-modify-write: read stock and version, {@code UPDATE .. SET stock = ?,
     * version = version + 1 WHERE id = ? AND version = ?}; a stale version reads again at once.
     *
     * @param id the row
     * @return the retries it took
     */
    int optimisticTake(long id) {
        int[] attempts = {0};
        row.whereId(id).modify(current -> {
            attempts[0]++;
            return Map.of("stock", current.getLong("stock") - 1);
        }).reading("stock").withRetry(immediate).execute();
        return attempts[0] - 1;
    }

    /**
     * Optimistic update at a version the caller already holds (from an earlier read, a form, an
     * {@code If-Match} header): one {@code UPDATE .. WHERE id = ? AND version = ?}.
     *
     * @param id the row
     * @param version the version the caller read
     * @return the new version
     */
    long takeAtVersion(long id, long version) {
        return ((Number) takeOne.whereId(id).expectVersion(version).execute().newVersion()).longValue();
    }

    /**
     * Guarded decrement: {@code UPDATE .. SET stock = stock - ? WHERE id = ? AND stock >= ?}.
     *
     * @param id the row
     * @return 1 if applied, 0 if not
     */
    int decrement(long id) {
        return decrement.whereId(id).execute().applied() ? 1 : 0;
    }

    /**
     * Locking read in a runner transaction, then commit.
     *
     * @param id the row
     * @param wait how to wait for a held row
     * @return the stock, or empty when the row was skipped
     */
    Optional<Long> lockedRead(long id, Peers.Wait wait) {
        RowLockQuery query = locks.get(wait).key(id);
        return once.run(c -> query.fetchOne(c).map(locked -> locked.getLong("stock")));
    }

    /**
     * Moves one unit between two rows in one runner transaction, re-run on a deadlock.
     *
     * @param from the row that gives
     * @param to the row that receives
     * @return the retries it took, or {@link Peers#GAVE_UP} when every attempt failed
     */
    int transfer(long from, long to) {
        int[] attempts = {0};
        try {
            retrying.run(c -> {
                attempts[0]++;
                takeOne.whereId(from).execute();
                putOne.whereId(to).execute();
                return null;
            });
        } catch (RetriesExhaustedException e) {
            return Peers.GAVE_UP;
        }
        return attempts[0] - 1;
    }

    /**
     * A job lock: {@code tryLock} of the advisory lock in a runner transaction, released at its
     * commit.
     *
     * @return whether the lock was had
     */
    boolean runJob() {
        return once.run(job::tryLock);
    }

    /**
     * A job lock as a lease: {@code tryAcquire} (at most one minute, at least zero), then
     * {@code close()}, which releases it; the lease lives in a row with an expiry on the
     * database's clock, like ShedLock's, and holds no connection in between.
     *
     * @return whether the lease was had
     */
    boolean runJobWithLease() {
        Optional<JdbcLease> lease = jobLease.tryAcquire(Duration.ofMinutes(1), Duration.ZERO);
        lease.ifPresent(JdbcLease::close);
        return lease.isPresent();
    }
}
