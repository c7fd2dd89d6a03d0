package dev.latchkey.jdbc.sql;

import org.jetbrains.annotations.NotNull;

/**
 * Something that runs a unit of work in a transaction and commits it, retrying the whole unit on
 * transient failures as its policy allows. {@code dev.latchkey.jdbc.Transactions} is the
 * implementation users obtain from {@code latchkey.transactions()}; features below the entry
 * package (transactional idempotency) take this interface so they do not depend on it.
 */
public interface TransactionRunner {
    /**
     * Runs the work in a transaction and commits it.
     *
     * @param work the unit of work; receives the transaction's connection, which it must not
     *        commit, roll back or close; may run more than once
     * @param <T> the result type
     * @return what the work returned in the attempt that committed
     * @throws RuntimeException the translated failure, see the implementation
     */
    <T> T run(@NotNull SqlWork<T> work);
}
