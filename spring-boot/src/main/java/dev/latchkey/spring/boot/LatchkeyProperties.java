package dev.latchkey.spring.boot;

import java.time.Duration;

import dev.latchkey.idempotency.IdempotencyPolicy;
import dev.latchkey.retry.RetryPolicy;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code latchkey.*} configuration properties. Mutable, as Spring Boot binds it; read once by
 * {@link LatchkeyAutoConfiguration} at start-up. A setter given a value out of range throws
 * {@link IllegalArgumentException} naming the property, which Boot reports as a binding failure.
 */
@ConfigurationProperties(prefix = "latchkey")
public class LatchkeyProperties {

    /**
     * Whether Latchkey joins the Spring-managed transaction (@Transactional, TransactionTemplate)
     * the calling thread runs on the data source, instead of taking a connection of its own.
     */
    private boolean joinSpringTransactions = true;

    private final Retry retry = new Retry();

    private final Idempotency idempotency = new Idempotency();

    private final Metrics metrics = new Metrics();

    private final Web web = new Web();

    /** Creates the properties with their defaults. */
    public LatchkeyProperties() {
    }

    /**
     * Returns whether Latchkey joins Spring-managed transactions.
     *
     * @return whether Latchkey joins Spring-managed transactions
     */
    public boolean isJoinSpringTransactions() {
        return joinSpringTransactions;
    }

    /**
     * Sets whether Latchkey joins Spring-managed transactions.
     *
     * @param joinSpringTransactions whether to join
     */
    public void setJoinSpringTransactions(boolean joinSpringTransactions) {
        this.joinSpringTransactions = joinSpringTransactions;
    }

    /**
     * Returns the retry settings.
     *
     * @return the retry settings
     */
    public @NotNull Retry getRetry() {
        return retry;
    }

    /**
     * Returns the idempotency settings.
     *
     * @return the idempotency settings
     */
    public @NotNull Idempotency getIdempotency() {
        return idempotency;
    }

    /**
     * Returns the metrics settings.
     *
     * @return the metrics settings
     */
    public @NotNull Metrics getMetrics() {
        return metrics;
    }

    /**
     * Returns the web settings.
     *
     * @return the web settings
     */
    public @NotNull Web getWeb() {
        return web;
    }

    private static Duration positive(String property, @Nullable Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(property + " must be > 0: " + property + "=" + value);
        }
        return value;
    }

    /** The retry policy of the transaction runner ({@code latchkey.retry.*}). */
    public static class Retry {
        /** Maximum number of attempts of a transaction, the first included (1 = no retry). */
        private int maxAttempts = 5;

        /** Bound of the first backoff (full jitter: the delay is random between 0 and the bound). */
        private Duration initialDelay = Duration.ofMillis(10);

        /** Cap on any one backoff. */
        private Duration maxDelay = Duration.ofSeconds(1);

        /** Growth of the backoff bound per attempt. */
        private double multiplier = 2.0;

        /** Time budget from the start of the first attempt: no retry starts after it. Unset: no budget. */
        private @Nullable Duration maxDuration;

        /** Creates the settings with their defaults. */
        public Retry() {
        }

        /**
         * Returns the maximum number of attempts.
         *
         * @return the maximum number of attempts
         */
        public int getMaxAttempts() {
            return maxAttempts;
        }

        /**
         * Sets the maximum number of attempts.
         *
         * @param maxAttempts {@code >= 1}
         * @throws IllegalArgumentException if {@code maxAttempts < 1}
         */
        public void setMaxAttempts(int maxAttempts) {
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("latchkey.retry.max-attempts must be >= 1: "
                        + "latchkey.retry.max-attempts=" + maxAttempts);
            }
            this.maxAttempts = maxAttempts;
        }

        /**
         * Returns the bound of the first backoff.
         *
         * @return the bound of the first backoff
         */
        public @NotNull Duration getInitialDelay() {
            return initialDelay;
        }

        /**
         * Sets the bound of the first backoff.
         *
         * @param initialDelay {@code >= 0}
         * @throws IllegalArgumentException if negative or null
         */
        public void setInitialDelay(@Nullable Duration initialDelay) {
            if (initialDelay == null || initialDelay.isNegative()) {
                throw new IllegalArgumentException("latchkey.retry.initial-delay must be >= 0: "
                        + "latchkey.retry.initial-delay=" + initialDelay);
            }
            this.initialDelay = initialDelay;
        }

        /**
         * Returns the cap on any one backoff.
         *
         * @return the cap on any one backoff
         */
        public @NotNull Duration getMaxDelay() {
            return maxDelay;
        }

        /**
         * Sets the cap on any one backoff.
         *
         * @param maxDelay {@code >= 0} (and {@code >= initial-delay}, checked when the policy is built)
         * @throws IllegalArgumentException if negative or null
         */
        public void setMaxDelay(@Nullable Duration maxDelay) {
            if (maxDelay == null || maxDelay.isNegative()) {
                throw new IllegalArgumentException("latchkey.retry.max-delay must be >= 0: "
                        + "latchkey.retry.max-delay=" + maxDelay);
            }
            this.maxDelay = maxDelay;
        }

        /**
         * Returns the growth of the backoff bound per attempt.
         *
         * @return the growth of the backoff bound per attempt
         */
        public double getMultiplier() {
            return multiplier;
        }

        /**
         * Sets the growth of the backoff bound per attempt.
         *
         * @param multiplier a finite number {@code >= 1}
         * @throws IllegalArgumentException if out of range
         */
        public void setMultiplier(double multiplier) {
            if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
                throw new IllegalArgumentException("latchkey.retry.multiplier must be a finite number >= 1: "
                        + "latchkey.retry.multiplier=" + multiplier);
            }
            this.multiplier = multiplier;
        }

        /**
         * Returns the time budget, or {@code null} for none.
         *
         * @return the time budget, or {@code null} for none
         */
        public @Nullable Duration getMaxDuration() {
            return maxDuration;
        }

        /**
         * Sets the time budget.
         *
         * @param maxDuration {@code > 0}, or {@code null} for none
         * @throws IllegalArgumentException if zero or negative
         */
        public void setMaxDuration(@Nullable Duration maxDuration) {
            this.maxDuration = maxDuration == null ? null : positive("latchkey.retry.max-duration", maxDuration);
        }

        /**
         * The retry policy these settings describe.
         *
         * @return a new policy
         * @throws IllegalArgumentException if max-delay is below initial-delay
         */
        public @NotNull RetryPolicy toPolicy() {
            if (maxDelay.compareTo(initialDelay) < 0) {
                throw new IllegalArgumentException("latchkey.retry.max-delay must be >= latchkey.retry.initial-delay: "
                        + "latchkey.retry.max-delay=" + maxDelay + ", latchkey.retry.initial-delay=" + initialDelay);
            }
            return RetryPolicy.builder()
                    .maxAttempts(maxAttempts)
                    .backoff(initialDelay, maxDelay, multiplier)
                    .maxDuration(maxDuration)
                    .build();
        }
    }

    /** The JDBC idempotency store ({@code latchkey.idempotency.*}). */
    public static class Idempotency {
        /** Whether to configure the JDBC idempotency store, its table and its policy. */
        private boolean enabled = true;

        /** The table of the idempotency store. */
        private String table = "latchkey_idempotency";

        /** How long a claim is held before another request may take the key over (its holder is presumed dead). */
        private Duration lease = Duration.ofSeconds(60);

        /** How long a completed response is kept, and replayed, before it may be purged. */
        private Duration retention = Duration.ofHours(24);

        /**
         * Whether to create the table (and its index) at start-up if it does not exist. When
         * false, start-up fails if the table is missing.
         */
        private boolean createTable = true;

        private final Purge purge = new Purge();

        /** Creates the settings with their defaults. */
        public Idempotency() {
        }

        /**
         * Returns whether the idempotency store is configured.
         *
         * @return whether the idempotency store is configured
         */
        public boolean isEnabled() {
            return enabled;
        }

        /**
         * Sets whether the idempotency store is configured.
         *
         * @param enabled whether to configure it
         */
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        /**
         * Returns the table name.
         *
         * @return the table name
         */
        public @NotNull String getTable() {
            return table;
        }

        /**
         * Sets the table name (validated as an identifier when the store is built).
         *
         * @param table the table name, not blank
         * @throws IllegalArgumentException if null or blank
         */
        public void setTable(@Nullable String table) {
            if (table == null || table.isBlank()) {
                throw new IllegalArgumentException("latchkey.idempotency.table must not be blank: "
                        + "latchkey.idempotency.table=" + table);
            }
            this.table = table;
        }

        /**
         * Returns the lease.
         *
         * @return the lease
         */
        public @NotNull Duration getLease() {
            return lease;
        }

        /**
         * Sets the lease.
         *
         * @param lease {@code > 0}
         * @throws IllegalArgumentException if not positive
         */
        public void setLease(@Nullable Duration lease) {
            this.lease = positive("latchkey.idempotency.lease", lease);
        }

        /**
         * Returns the retention.
         *
         * @return the retention
         */
        public @NotNull Duration getRetention() {
            return retention;
        }

        /**
         * Sets the retention.
         *
         * @param retention {@code > 0} (and {@code >= lease}, checked when the policy is built)
         * @throws IllegalArgumentException if not positive
         */
        public void setRetention(@Nullable Duration retention) {
            this.retention = positive("latchkey.idempotency.retention", retention);
        }

        /**
         * Returns whether the table is created at start-up.
         *
         * @return whether the table is created at start-up
         */
        public boolean isCreateTable() {
            return createTable;
        }

        /**
         * Sets whether the table is created at start-up.
         *
         * @param createTable whether to create it
         */
        public void setCreateTable(boolean createTable) {
            this.createTable = createTable;
        }

        /**
         * Returns the purge schedule.
         *
         * @return the purge schedule
         */
        public @NotNull Purge getPurge() {
            return purge;
        }

        /**
         * The idempotency policy these settings describe.
         *
         * @return a new policy
         * @throws IllegalArgumentException if the retention is shorter than the lease
         */
        public @NotNull IdempotencyPolicy toPolicy() {
            if (retention.compareTo(lease) < 0) {
                throw new IllegalArgumentException("latchkey.idempotency.retention must be >= latchkey.idempotency.lease: "
                        + "latchkey.idempotency.retention=" + retention + ", latchkey.idempotency.lease=" + lease);
            }
            return IdempotencyPolicy.builder().lease(lease).retention(retention).build();
        }
    }

    /** The purge of expired idempotency records ({@code latchkey.idempotency.purge.*}). */
    public static class Purge {
        /** Time between two purges of expired idempotency records. Unset: no purge is scheduled. */
        private @Nullable Duration interval;

        /** Most records one purge statement deletes; a purge repeats it until fewer are deleted. */
        private int batchSize = 1000;

        /** Creates the settings with their defaults. */
        public Purge() {
        }

        /**
         * Returns the interval between purges, or {@code null} when none is scheduled.
         *
         * @return the interval, or {@code null}
         */
        public @Nullable Duration getInterval() {
            return interval;
        }

        /**
         * Sets the interval between purges.
         *
         * @param interval {@code > 0}, or {@code null} for no purge
         * @throws IllegalArgumentException if zero or negative
         */
        public void setInterval(@Nullable Duration interval) {
            this.interval = interval == null ? null : positive("latchkey.idempotency.purge.interval", interval);
        }

        /**
         * Returns the batch size.
         *
         * @return the batch size
         */
        public int getBatchSize() {
            return batchSize;
        }

        /**
         * Sets the batch size.
         *
         * @param batchSize {@code >= 1}
         * @throws IllegalArgumentException if {@code batchSize < 1}
         */
        public void setBatchSize(int batchSize) {
            if (batchSize < 1) {
                throw new IllegalArgumentException("latchkey.idempotency.purge.batch-size must be >= 1: "
                        + "latchkey.idempotency.purge.batch-size=" + batchSize);
            }
            this.batchSize = batchSize;
        }
    }

    /** Micrometer metrics ({@code latchkey.metrics.*}). */
    public static class Metrics {
        /** Whether to publish Latchkey's metrics to the application's MeterRegistry, when there is one. */
        private boolean enabled = true;

        /** Creates the settings with their defaults. */
        public Metrics() {
        }

        /**
         * Returns whether metrics are published.
         *
         * @return whether metrics are published
         */
        public boolean isEnabled() {
            return enabled;
        }

        /**
         * Sets whether metrics are published.
         *
         * @param enabled whether to publish
         */
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }
    }

    /** Spring MVC ({@code latchkey.web.*}). */
    public static class Web {
        private final WebIdempotency idempotency = new WebIdempotency();

        /** Creates the settings with their defaults. */
        public Web() {
        }

        /**
         * Returns the HTTP Idempotency-Key settings.
         *
         * @return the HTTP Idempotency-Key settings
         */
        public @NotNull WebIdempotency getIdempotency() {
            return idempotency;
        }
    }

    /** HTTP Idempotency-Key for @Idempotent Spring MVC handlers ({@code latchkey.web.idempotency.*}). */
    public static class WebIdempotency {
        /** Whether to register the filter that serves @Idempotent handlers (a servlet web application only). */
        private boolean enabled = true;

        /**
         * Whether the claim of the key, the handler's writes and the stored response commit in one
         * transaction of the application's transaction manager (when it has exactly one and Latchkey
         * joins Spring transactions); otherwise the handler runs outside the key's statements.
         */
        private boolean transactional = true;

        /** Creates the settings with their defaults. */
        public WebIdempotency() {
        }

        /**
         * Returns whether the filter is registered.
         *
         * @return whether the filter is registered
         */
        public boolean isEnabled() {
            return enabled;
        }

        /**
         * Sets whether the filter is registered.
         *
         * @param enabled whether to register it
         */
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        /**
         * Returns whether the filter runs in transactional mode.
         *
         * @return whether the filter runs in transactional mode
         */
        public boolean isTransactional() {
            return transactional;
        }

        /**
         * Sets whether the filter runs in transactional mode.
         *
         * @param transactional whether to run in transactional mode
         */
        public void setTransactional(boolean transactional) {
            this.transactional = transactional;
        }
    }
}
