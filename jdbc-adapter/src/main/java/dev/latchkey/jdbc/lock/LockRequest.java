package dev.latchkey.jdbc.lock;

import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

import org.jetbrains.annotations.Nullable;

/**
 * What one locking statement asks for, as its failures and the listener report it.
 *
 * @param what describes it, e.g. {@code "rows of product where id in [1, 2]"} or {@code "advisory lock 'x'"}:
 *        asked only when a failure is reported, so a lock that is granted builds no message
 * @param target the table or lock name
 * @param keys the keys requested, empty when not by key
 * @param waitPolicy the wait policy
 * @param timeout the lock timeout requested, or {@code null}
 */
record LockRequest(Supplier<String> what, String target, List<?> keys, WaitPolicy waitPolicy,
                   @Nullable Duration timeout) {
}
