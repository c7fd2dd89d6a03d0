package dev.latchkey.jdbc.lock;

import java.time.Duration;
import java.util.List;

import org.jetbrains.annotations.Nullable;

/**
 * What one locking statement asks for, as its failures and the listener report it.
 *
 * @param what e.g. {@code "rows of product where id in [1, 2]"} or {@code "advisory lock 'x'"}
 * @param target the table or lock name
 * @param keys the keys requested, empty when not by key
 * @param waitPolicy the wait policy
 * @param timeout the lock timeout requested, or {@code null}
 */
record LockRequest(String what, String target, List<?> keys, WaitPolicy waitPolicy, @Nullable Duration timeout) {
}
