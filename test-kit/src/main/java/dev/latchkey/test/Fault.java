package dev.latchkey.test;

import java.util.Objects;
import org.jetbrains.annotations.NotNull;

/**
 * A failure {@link FaultInjectingDataSource} can inject: the ones Latchkey handles, each raised
 * with the SQLSTATE, vendor code and message the database itself uses (see {@link Database}).
 *
 * <p>What the injector does to the real transaction follows the database:
 * <ul>
 *   <li>{@link #DEADLOCK} and {@link #SERIALIZATION_FAILURE} roll the transaction back (every
 *       database does);</li>
 *   <li>{@link #LOCK_NOT_AVAILABLE}, {@link #LOCK_WAIT_TIMEOUT} and {@link #QUERY_CANCELLED} fail
 *       only the statement on MariaDB, MySQL and H2; on PostgreSQL every failed statement aborts
 *       the transaction, so the injector rolls it back and fails every later statement of it with
 *       {@code 25P02} until the application rolls back, as the server does;</li>
 *   <li>{@link #CONNECTION_LOST} rolls the transaction back and leaves the connection dead: every
 *       later call on it fails with the same connection error, until it is closed;</li>
 *   <li>{@link #COMMIT_REPLY_LOST} really commits, then fails as {@link #CONNECTION_LOST} does:
 *       the application cannot tell whether its transaction committed (it did);</li>
 *   <li>{@link #CONNECTION_LOST} at a ROLLBACK or when auto-commit is restored rolls the
 *       transaction back too (a server rolls back what a dead connection left open); at close it
 *       really closes the connection first, then fails;</li>
 *   <li>{@link #DATABASE_UNREACHABLE} fails {@code getConnection()}: no connection is opened.</li>
 * </ul>
 * The statement that fails is never sent to the database. Which fault may happen where:
 * {@link #canHappenAt(Trigger.Point)}.
 */
public enum Fault {
    /** The transaction was chosen as a deadlock victim and rolled back. */
    DEADLOCK(true),
    /** The transaction could not be serialized and was rolled back. */
    SERIALIZATION_FAILURE(true),
    /** A {@code NOWAIT} lock request found the row locked. */
    LOCK_NOT_AVAILABLE(false),
    /** A lock wait ran past the database's lock timeout. */
    LOCK_WAIT_TIMEOUT(false),
    /** The statement was cancelled (statement timeout, {@code Statement.cancel}, a killed query). */
    QUERY_CANCELLED(false),
    /** The connection died before the statement (or the COMMIT) reached the database. */
    CONNECTION_LOST(true),
    /** The COMMIT succeeded, then the connection died before its reply arrived. COMMIT triggers only. */
    COMMIT_REPLY_LOST(true),
    /** No connection could be opened: the server is down or refuses connections. CONNECT triggers only. */
    DATABASE_UNREACHABLE(false);

    private final boolean atCommit;

    Fault(boolean atCommit) {
        this.atCommit = atCommit;
    }

    /**
     * Returns whether the fault may be injected at a point: before a statement, any fault but
     * {@link #COMMIT_REPLY_LOST} and {@link #DATABASE_UNREACHABLE}; at a COMMIT, see
     * {@link #canHappenAtCommit()}; at a ROLLBACK, when auto-commit is restored and at close, only
     * {@link #CONNECTION_LOST}; at connect, only {@link #DATABASE_UNREACHABLE}.
     *
     * @param point where
     * @return whether a trigger at that point accepts this fault
     * @throws NullPointerException if {@code point} is {@code null}
     */
    public boolean canHappenAt(Trigger.@NotNull Point point) {
        switch (Objects.requireNonNull(point, "point")) {
            case STATEMENT:
                return this != COMMIT_REPLY_LOST && this != DATABASE_UNREACHABLE;
            case COMMIT:
                return atCommit;
            case CONNECT:
                return this == DATABASE_UNREACHABLE;
            default:
                return this == CONNECTION_LOST;
        }
    }

    /**
     * Returns whether the fault may be injected at a COMMIT (a real database raises deadlocks and
     * serialization failures at COMMIT too, e.g. PostgreSQL's SERIALIZABLE), not only before a
     * statement.
     *
     * @return whether a COMMIT trigger accepts this fault
     */
    public boolean canHappenAtCommit() {
        return canHappenAt(Trigger.Point.COMMIT);
    }

    /**
     * Returns whether the fault may be injected before a statement.
     *
     * @return {@code false} only for {@link #COMMIT_REPLY_LOST} and {@link #DATABASE_UNREACHABLE}
     */
    public boolean canHappenAtStatement() {
        return canHappenAt(Trigger.Point.STATEMENT);
    }
}
