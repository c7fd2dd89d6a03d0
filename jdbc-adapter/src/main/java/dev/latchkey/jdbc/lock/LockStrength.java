package dev.latchkey.jdbc.lock;

import dev.latchkey.jdbc.dialect.Dialect;
import org.jetbrains.annotations.NotNull;

/**
 * How strongly a locking read locks the rows it returns.
 *
 * <p>Each dialect renders these or refuses them with {@link UnsupportedOperationException}; see
 * {@link Dialect#supportsForShare()} and {@link Dialect#supportsForNoKeyUpdate()}.
 */
public enum LockStrength {
    /**
     * {@code FOR UPDATE}: exclusive; blocks other lockers and writers of the rows. Every dialect.
     */
    UPDATE("FOR UPDATE"),
    /**
     * {@code FOR NO KEY UPDATE}: exclusive, but lets other transactions insert rows referencing
     * these through foreign keys. PostgreSQL only.
     */
    NO_KEY_UPDATE("FOR NO KEY UPDATE"),
    /**
     * {@code FOR SHARE} ({@code LOCK IN SHARE MODE} on MariaDB): shared; blocks writers, not
     * other sharers. Not on H2.
     */
    SHARE("FOR SHARE");

    private final String sql;

    LockStrength(String sql) {
        this.sql = sql;
    }

    /**
     * Returns the standard SQL clause, e.g. {@code FOR UPDATE}; dialects may render it differently.
     *
     * @return the standard SQL clause, e.g. {@code FOR UPDATE}; dialects may render it differently
     */
    public @NotNull String sql() {
        return sql;
    }
}
