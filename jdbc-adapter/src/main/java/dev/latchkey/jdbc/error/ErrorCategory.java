package dev.latchkey.jdbc.error;

/**
 * What kind of failure an {@link java.sql.SQLException} is, as decided by
 * {@link SqlErrorTranslator#classify(java.sql.SQLException)}.
 */
public enum ErrorCategory {
    /** Deadlock victim: the transaction was rolled back. Transient. */
    DEADLOCK(true),
    /** Serialization failure: the transaction was rolled back. Transient. */
    SERIALIZATION_FAILURE(true),
    /** {@code NOWAIT} found the lock held. Transient. */
    LOCK_NOT_AVAILABLE(true),
    /** A lock wait ran out of time. Transient. */
    LOCK_WAIT_TIMEOUT(true),
    /** A unique constraint or primary key was violated. Not transient. */
    UNIQUE_VIOLATION(false),
    /** The statement was cancelled or hit a statement timeout. Not transient. */
    QUERY_CANCELLED(false),
    /** The connection failed. Transient unless it happened during commit. */
    CONNECTION_FAILURE(true),
    /**
     * The connection failed during {@code COMMIT}: outcome unknown. Not transient. Only
     * {@link SqlErrorTranslator#classify(java.sql.SQLException, boolean)} told about the commit
     * returns it.
     */
    COMMIT_OUTCOME_UNKNOWN(false),
    /** Anything else. Not transient. */
    OTHER(false);

    private final boolean transientFailure;

    ErrorCategory(boolean transientFailure) {
        this.transientFailure = transientFailure;
    }

    /**
     * Returns whether re-running the whole transaction is safe and may succeed.
     *
     * @return whether re-running the whole transaction is safe and may succeed
     */
    public boolean isTransient() {
        return transientFailure;
    }
}
