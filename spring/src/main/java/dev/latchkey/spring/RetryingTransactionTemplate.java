package dev.latchkey.spring;

import java.util.Objects;
import java.util.function.Consumer;

import dev.latchkey.ConcurrencyException;
import dev.latchkey.jdbc.Latchkey;
import dev.latchkey.retry.RetryPolicy;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.support.TransactionCallback;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Runs a Spring {@link TransactionTemplate} callback as a whole transaction under a Latchkey
 * {@link RetryPolicy}: when an attempt fails transiently (deadlock, serialization failure, lock not
 * available, lost connection before the commit), the transaction manager has rolled it back and
 * the callback runs again in a fresh transaction.
 *
 * <pre>{@code
 * RetryingTransactionTemplate tx = new RetryingTransactionTemplate(new TransactionTemplate(txManager), latchkey);
 * Order order = tx.execute(status -> {
 *     latchkey.update("product").set("stock", col("stock").minus(1)).whereId(7).execute();   // joins
 *     return orders.insert(...);                                                               // JdbcTemplate
 * });
 * }</pre>
 *
 * <p>What is transient is decided the way Latchkey decides it, whatever wraps the failure: a
 * Latchkey exception anywhere in the cause chain, or an {@code SQLException} that Latchkey
 * classifies behind one of Spring's {@code DataAccessException}s (see
 * {@link LatchkeySqlExceptionTranslator#concurrencyFailure(Throwable)}); then the policy's own
 * predicate is asked. A commit whose outcome is unknown is never retried.
 *
 * <p><b>Only at the outermost boundary.</b> Retrying inside a transaction that is already running
 * would re-run part of a transaction the database has already rolled back (after a deadlock) or
 * still holds locks for, so {@link #execute} refuses with {@link IllegalStateException} when the
 * thread already runs a Spring transaction, unless the template's propagation is
 * {@code REQUIRES_NEW} (a separate transaction, with the costs Spring documents for it: a second
 * connection, and blocking on the outer transaction's locks).
 *
 * <p>The callback may run more than once: it must not have side effects outside the transaction.
 * Immutable and thread-safe when the template is.
 */
public final class RetryingTransactionTemplate {
    private final TransactionTemplate template;
    private final RetryPolicy policy;
    private final LatchkeySqlExceptionTranslator translator;

    /**
     * A retrying template.
     *
     * @param template the Spring template (transaction manager, propagation, isolation, timeout)
     * @param policy how often and how long to retry
     * @param translator how Spring's exceptions are seen as Latchkey's
     */
    public RetryingTransactionTemplate(@NotNull TransactionTemplate template, @NotNull RetryPolicy policy,
                                       @NotNull LatchkeySqlExceptionTranslator translator) {
        this.template = Objects.requireNonNull(template, "template");
        RetryPolicy given = Objects.requireNonNull(policy, "policy");
        this.translator = Objects.requireNonNull(translator, "translator");
        this.policy = given.toBuilder().retryIf(t -> {
            ConcurrencyException latchkeys = translator.concurrencyFailure(t);
            return given.isRetryable(latchkeys == null ? t : latchkeys);
        }).build();
    }

    /**
     * A retrying template with a Latchkey's retry policy and error classification.
     *
     * @param template the Spring template
     * @param latchkey the Latchkey of the transaction manager's data source
     */
    public RetryingTransactionTemplate(@NotNull TransactionTemplate template, @NotNull Latchkey latchkey) {
        this(template, Objects.requireNonNull(latchkey, "latchkey").retryPolicy(),
                new LatchkeySqlExceptionTranslator(latchkey));
    }

    /**
     * The same template with another retry policy.
     *
     * @param policy the policy
     * @return a new template
     */
    public @NotNull RetryingTransactionTemplate withRetry(@NotNull RetryPolicy policy) {
        return new RetryingTransactionTemplate(template, policy, translator);
    }

    /**
     * Returns the Spring template each attempt runs in.
     *
     * @return the Spring template each attempt runs in
     */
    public @NotNull TransactionTemplate transactionTemplate() {
        return template;
    }

    /**
     * Runs the callback in a transaction of the template, re-running the whole transaction when
     * it fails transiently and the policy allows.
     *
     * @param action the callback; may run more than once
     * @param <T> the result type
     * @return what the callback returned in the attempt that committed
     * @throws IllegalStateException when the thread already runs a Spring transaction and the
     *         template's propagation is not {@code REQUIRES_NEW}
     * @throws dev.latchkey.RetriesExhaustedException when every allowed attempt failed
     *         transiently; its cause is the last failure, as the transaction manager threw it
     * @throws RuntimeException a failure that is not retried, as the transaction manager threw it
     */
    public <T> @Nullable T execute(@NotNull TransactionCallback<T> action) {
        Objects.requireNonNull(action, "action");
        if (TransactionSynchronizationManager.isActualTransactionActive()
                && template.getPropagationBehavior() != TransactionDefinition.PROPAGATION_REQUIRES_NEW) {
            throw new IllegalStateException("refusing to retry inside a running Spring transaction ("
                    + TransactionSynchronizationManager.getCurrentTransactionName() + "): only the outermost "
                    + "transaction boundary can re-run a transaction the database rolled back; retry around the "
                    + "outer transaction, or use propagation REQUIRES_NEW for a separate one");
        }
        return policy.execute(attempt -> template.execute(action));
    }

    /**
     * Like {@link #execute}, for a callback without a result.
     *
     * @param action the callback; may run more than once
     * @throws IllegalStateException when the thread already runs a Spring transaction and the
     *         template's propagation is not {@code REQUIRES_NEW}
     * @throws dev.latchkey.RetriesExhaustedException when every allowed attempt failed transiently
     */
    public void executeWithoutResult(@NotNull Consumer<TransactionStatus> action) {
        Objects.requireNonNull(action, "action");
        execute(status -> {
            action.accept(status);
            return null;
        });
    }

    @Override
    public String toString() {
        return "RetryingTransactionTemplate[" + policy + "]";
    }
}
