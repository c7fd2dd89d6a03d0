package dev.latchkey.jdbc.update;

import java.util.Map;

import dev.latchkey.jdbc.sql.Expression;
import dev.latchkey.jdbc.sql.Row;
import org.jetbrains.annotations.NotNull;

/**
 * The change of a read-modify-write: given the row as read, the columns to write.
 *
 * <p><b>Must be pure:</b> the result may depend only on the row passed in, and the function must
 * have no side effects. It runs once per attempt, and a stale version makes the helper read the
 * row again and call it again with the newer row; a side effect would happen once per attempt, and
 * a result computed from anything but the row (a value read earlier, a counter in the caller)
 * would write an update that was decided on stale data.
 */
@FunctionalInterface
public interface RowModifier {
    /**
     * Computes the new values.
     *
     * @param current the row as read, its version column included
     * @return the columns to set: values to bind, or {@link Expression}s; an empty map writes only
     *         the version bump (a force increment)
     */
    @NotNull Map<String, ?> apply(@NotNull Row current);
}
