package dev.latchkey.jdbc.internal;

import java.util.Objects;
import java.util.function.LongSupplier;

import javax.sql.DataSource;

import dev.latchkey.ConcurrencyListener;
import dev.latchkey.jdbc.dialect.Dialect;
import dev.latchkey.jdbc.error.SqlErrorTranslator;
import dev.latchkey.jdbc.sql.ExternalTransactions;
import dev.latchkey.retry.RetryPolicy;
import org.jetbrains.annotations.NotNull;

/**
 * What every builder and store of one {@code Latchkey} needs, and nothing more: the data source,
 * its dialect and error translator, the (guarded) listener, the default retry policy and the nano
 * clock that times lock waits. Builders receive this, never {@code Latchkey} itself, so the
 * feature packages do not depend on the entry point. Immutable and thread-safe.
 *
 * @param dataSource the data source
 * @param dialect its dialect
 * @param errors the translator of its database's errors
 * @param listener the listener, already {@linkplain ConcurrencyListener#guarded guarded}
 * @param retryPolicy the default retry policy
 * @param nanoClock the clock lock waits are timed with ({@code System::nanoTime} outside tests)
 * @param external the framework transactions operations join ({@link ExternalTransactions#NONE} for none)
 * @param key the data source transactions are bound to: {@code external.unwrap(dataSource)}
 */
public record JdbcContext(@NotNull DataSource dataSource, @NotNull Dialect dialect, @NotNull SqlErrorTranslator errors,
                          @NotNull ConcurrencyListener listener, @NotNull RetryPolicy retryPolicy,
                          @NotNull LongSupplier nanoClock, @NotNull ExternalTransactions external,
                          @NotNull DataSource key) {
    /**
     * Checks the components and guards the listener.
     *
     * @param dataSource the data source
     * @param dialect its dialect
     * @param errors the translator of its database's errors
     * @param listener the listener; guarded here
     * @param retryPolicy the default retry policy
     * @param nanoClock the clock lock waits are timed with
     * @param external the framework transactions operations join
     * @param key the data source transactions are bound to
     */
    public JdbcContext {
        Objects.requireNonNull(dataSource, "dataSource");
        Objects.requireNonNull(dialect, "dialect");
        Objects.requireNonNull(errors, "errors");
        listener = ConcurrencyListener.guarded(Objects.requireNonNull(listener, "listener"));
        Objects.requireNonNull(retryPolicy, "retryPolicy");
        Objects.requireNonNull(nanoClock, "nanoClock");
        Objects.requireNonNull(external, "external");
        Objects.requireNonNull(key, "key");
    }

    /**
     * A context that joins no framework's transactions.
     *
     * @param dataSource the data source
     * @param dialect its dialect
     * @param errors the translator of its database's errors
     * @param listener the listener; guarded here
     * @param retryPolicy the default retry policy
     * @param nanoClock the clock lock waits are timed with
     */
    public JdbcContext(@NotNull DataSource dataSource, @NotNull Dialect dialect, @NotNull SqlErrorTranslator errors,
                       @NotNull ConcurrencyListener listener, @NotNull RetryPolicy retryPolicy,
                       @NotNull LongSupplier nanoClock) {
        this(dataSource, dialect, errors, listener, retryPolicy, nanoClock, ExternalTransactions.NONE, dataSource);
    }

    /**
     * A context for a data source and dialect with the defaults: the dialect's translator, no
     * listener, {@link RetryPolicy#defaults()}, {@link System#nanoTime()}.
     *
     * @param dataSource the data source
     * @param dialect its dialect
     * @return the context
     */
    public static @NotNull JdbcContext of(@NotNull DataSource dataSource, @NotNull Dialect dialect) {
        return new JdbcContext(dataSource, dialect, SqlErrorTranslator.forProduct(dialect.product()),
                ConcurrencyListener.NONE, RetryPolicy.defaults(), System::nanoTime);
    }

    /**
     * This context with another retry policy.
     *
     * @param policy the policy
     * @return a new context
     */
    public @NotNull JdbcContext withRetryPolicy(@NotNull RetryPolicy policy) {
        return new JdbcContext(dataSource, dialect, errors, listener, policy, nanoClock, external, key);
    }

    /**
     * Returns the nano clock's current reading.
     *
     * @return the nano clock's current reading
     */
    public long nanoTime() {
        return nanoClock.getAsLong();
    }
}
