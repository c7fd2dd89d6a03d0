package dev.latchkey.jdbc;

import java.sql.Connection;

/** Transaction isolation levels, mapped to the JDBC constants. */
public enum Isolation {
    /** Leave the connection's isolation level as it is (the database or pool default). */
    DEFAULT(-1),
    /** {@link Connection#TRANSACTION_READ_UNCOMMITTED}. */
    READ_UNCOMMITTED(Connection.TRANSACTION_READ_UNCOMMITTED),
    /** {@link Connection#TRANSACTION_READ_COMMITTED}. */
    READ_COMMITTED(Connection.TRANSACTION_READ_COMMITTED),
    /** {@link Connection#TRANSACTION_REPEATABLE_READ}. */
    REPEATABLE_READ(Connection.TRANSACTION_REPEATABLE_READ),
    /** {@link Connection#TRANSACTION_SERIALIZABLE}. */
    SERIALIZABLE(Connection.TRANSACTION_SERIALIZABLE);

    private final int jdbcLevel;

    Isolation(int jdbcLevel) {
        this.jdbcLevel = jdbcLevel;
    }

    /**
     * Returns the {@code Connection.TRANSACTION_*} constant, or {@code -1} for {@link #DEFAULT}.
     *
     * @return the {@code Connection.TRANSACTION_*} constant, or {@code -1} for {@link #DEFAULT}
     */
    public int jdbcLevel() {
        return jdbcLevel;
    }
}
