package dev.latchkey.jdbc.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import dev.latchkey.CommitOutcomeUnknownException;
import dev.latchkey.jdbc.dialect.DatabaseProduct;
import dev.latchkey.jdbc.error.ErrorCategory;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/**
 * Verified commits: what a transaction records just before {@code COMMIT} so that, when the
 * connection is lost during {@code COMMIT}, its outcome can be learned from the database on a new
 * connection; and the check that learns it.
 *
 * <p>PostgreSQL: the transaction's id, {@code pg_current_xact_id_if_assigned()} (PostgreSQL 13+;
 * {@code txid_current_if_assigned()} before), read in one query before {@code COMMIT}; none is
 * assigned when the transaction wrote nothing, and then there is nothing to lose. The check asks
 * {@code pg_xact_status(xid)}: {@code committed}, {@code aborted}, or {@code in progress} while the
 * lost session still runs (its server process has not yet seen the disconnect, or a
 * {@code COMMIT} is still being processed).
 *
 * <p>MariaDB, MySQL and H2: a marker row with a random id inserted into the marker table in the
 * same transaction, just before {@code COMMIT}. The check inserts the same id on a new connection,
 * in a transaction it rolls back: the insert succeeds only when no transaction holds or committed
 * that id (the lost transaction rolled back: a server rolls back the open transaction of a session
 * whose client disconnected, and a session cannot commit after that); it fails on the primary key
 * when the marker is committed (confirmed by reading it); and it waits for the row lock (up to one
 * second per check) or fails on it while the lost session's transaction is still open — which may
 * still commit, if its {@code COMMIT} is in flight — and then the check runs again later.
 *
 * <p>Stateless.
 */
public final class TransactionOutcome {
    /** How long a verified transaction waits by default for the outcome of a lost {@code COMMIT}. */
    public static final Duration DEFAULT_WAIT = Duration.ofSeconds(10);

    private static final long FIRST_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    private static final long MAX_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    private static final int PROBE_TIMEOUT_SECONDS = 1;
    private static final int MAX_SUPPRESSED = 4;

    private TransactionOutcome() {
    }

    /**
     * The settings of verified commits.
     *
     * @param maxWait how long to keep checking an outcome that is still in progress, {@code >= 0}
     * @param markers the marker table (unused on PostgreSQL)
     */
    public record Verification(@NotNull Duration maxWait, @NotNull TransactionMarkers markers) {
        /**
         * Checks the settings.
         *
         * @param maxWait how long to keep checking, {@code >= 0}
         * @param markers the marker table
         */
        public Verification {
            Objects.requireNonNull(maxWait, "maxWait");
            Objects.requireNonNull(markers, "markers");
            if (maxWait.isNegative()) {
                throw new IllegalArgumentException("maxWait must be >= 0: maxWait=" + maxWait);
            }
        }
    }

    /** What the database says about a transaction. */
    enum Status {
        /** Committed: its writes are durable and visible. */
        COMMITTED,
        /** Rolled back: nothing of it was kept. */
        ABORTED,
        /** Still open, or the check could not run: ask again later. */
        IN_PROGRESS,
        /** The database can no longer tell (PostgreSQL: the id is too old). */
        UNKNOWN
    }

    /**
     * What identifies a transaction after its connection is lost: its PostgreSQL id or its
     * marker id; both {@code null} when it wrote nothing (no id assigned, or read-only on
     * PostgreSQL, which enforces it), so that losing its {@code COMMIT} loses nothing.
     *
     * @param xid the PostgreSQL transaction id, or {@code null}
     * @param markerId the marker id, or {@code null}
     */
    record Probe(@Nullable String xid, @Nullable String markerId) {
        boolean wroteNothing() {
            return xid == null && markerId == null;
        }
    }

    /**
     * Records what the check will need, on the transaction's connection just before
     * {@code COMMIT}: one query (PostgreSQL) or one insert (the others); nothing in a read-only
     * transaction on PostgreSQL, which enforces read-only (the others' drivers only record the flag).
     *
     * @param ctx the context
     * @param verification the settings
     * @param readOnly whether the transaction is read-only
     * @param c the transaction's connection
     * @return the probe
     * @throws SQLException untranslated
     */
    static Probe beforeCommit(JdbcContext ctx, Verification verification, boolean readOnly, Connection c)
            throws SQLException {
        DatabaseProduct product = ctx.dialect().product();
        if (readOnly && product == DatabaseProduct.POSTGRESQL) {
            // enforced there; MariaDB Connector/J and H2 only record the flag and let the transaction write
            return new Probe(null, null);
        }
        if (product == DatabaseProduct.POSTGRESQL) {
            String sql = ctx.dialect().versionAtLeast(13, 0) ? "SELECT pg_current_xact_id_if_assigned()::text"
                    : "SELECT txid_current_if_assigned()::text";
            return new Probe(Statements.query(c, sql, List.of(), rs -> rs.getString(1)).get(0), null);
        }
        String id = UUID.randomUUID().toString();
        Statements.update(c, verification.markers().insertSql(), List.of(id));
        return new Probe(null, id);
    }

    /**
     * Learns the outcome of a transaction whose {@code COMMIT} lost its connection, checking on a
     * new connection and again, with growing pauses, while the database says it is still in
     * progress or cannot be reached, for at most {@code maxWait}. An interrupt ends the wait at
     * once (the interrupt flag stays set). Failures of the checks are added to {@code lost} as
     * suppressed exceptions.
     *
     * @param ctx the context (its data source gives the new connections)
     * @param verification the settings
     * @param probe what {@link #beforeCommit} recorded
     * @param lost the failure of the {@code COMMIT}
     * @return {@link Status#COMMITTED}, {@link Status#ABORTED}, or {@link Status#UNKNOWN} when the
     *         wait ended without an answer
     */
    static Status resolve(JdbcContext ctx, Verification verification, Probe probe,
                          CommitOutcomeUnknownException lost) {
        if (probe.wroteNothing()) {
            return Status.COMMITTED;
        }
        long deadline = ctx.nanoTime() + verification.maxWait().toNanos();
        long pause = FIRST_PAUSE_NANOS;
        int suppressed = 0;
        while (true) {
            try {
                Status status = OwnConnection.call(ctx.dataSource(), ctx.errors(),
                        c -> check(ctx, verification.markers(), probe, c));
                if (status != Status.IN_PROGRESS) {
                    return status;
                }
            } catch (RuntimeException e) {
                if (suppressed++ < MAX_SUPPRESSED) {
                    lost.addSuppressed(e);
                }
            }
            long remaining = deadline - ctx.nanoTime();
            if (remaining <= 0 || Thread.currentThread().isInterrupted()) {
                return Status.UNKNOWN;
            }
            try {
                TimeUnit.NANOSECONDS.sleep(Math.min(pause, remaining));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                lost.addSuppressed(e);
                return Status.UNKNOWN;
            }
            pause = Math.min(pause * 2, MAX_PAUSE_NANOS);
        }
    }

    private static Status check(JdbcContext ctx, TransactionMarkers markers, Probe probe, Connection c) throws SQLException {
        if (probe.xid() != null) {
            String sql = ctx.dialect().versionAtLeast(13, 0) ? "SELECT pg_xact_status(CAST(? AS xid8))"
                    : "SELECT txid_status(CAST(? AS bigint))";
            String status = Statements.query(c, sql, List.of(probe.xid()), rs -> rs.getString(1)).get(0);
            if (status == null) {
                return Status.UNKNOWN;
            }
            switch (status) {
                case "committed":
                    return Status.COMMITTED;
                case "aborted":
                    return Status.ABORTED;
                default:
                    return Status.IN_PROGRESS;
            }
        }
        return checkMarker(ctx, markers, Objects.requireNonNull(probe.markerId(), "markerId"), c);
    }

    /** The marker check: the insert of the same id, in a transaction rolled back afterwards. */
    private static Status checkMarker(JdbcContext ctx, TransactionMarkers markers, String id, Connection c)
            throws SQLException {
        boolean autoCommit = c.getAutoCommit();
        if (autoCommit) {
            c.setAutoCommit(false);
        }
        try {
            return insertMarker(ctx, markers, id, c);
        } finally {
            c.rollback();
            if (autoCommit) {
                c.setAutoCommit(true);
            }
        }
    }

    private static Status insertMarker(JdbcContext ctx, TransactionMarkers markers, String id, Connection c)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(markers.insertSql())) {
            ps.setQueryTimeout(PROBE_TIMEOUT_SECONDS);
            ps.setString(1, id);
            ps.executeUpdate();
            return Status.ABORTED;
        } catch (SQLException e) {
            ErrorCategory category = ctx.errors().classify(e);
            if (category == ErrorCategory.CONNECTION_FAILURE) {
                throw e;
            }
            if (category != ErrorCategory.UNIQUE_VIOLATION) {
                return Status.IN_PROGRESS; // waited for the lost transaction's row lock, or refused to wait
            }
        }
        c.rollback();
        return Statements.query(c, markers.findSql(), List.of(id), rs -> rs.getString(1)).isEmpty()
                ? Status.IN_PROGRESS : Status.COMMITTED;
    }
}
