package dev.latchkey.jdbc.anomaly;

import java.util.List;
import java.util.Map;

/**
 * What one interleaving did: what each step saw, who committed, which steps waited for a lock,
 * the first failure's code, and the table's rows afterwards.
 *
 * @param seen what each labelled step returned (a step skipped after its session failed is absent)
 * @param committed per session, whether its transaction committed
 * @param blockedSteps the steps that waited for another session's lock, in order
 * @param failure the code of the first failure (see {@link Interleaving#code}), or {@code null}
 * @param rows the table afterwards, id to v
 */
record Run(Map<String, Object> seen, boolean[] committed, List<String> blockedSteps, String failure,
        Map<Integer, Integer> rows) {

    /** @return the rows a read stored (id to v), or {@code null} if it did not run */
    @SuppressWarnings("unchecked")
    Map<Integer, Integer> read(String label) {
        return (Map<Integer, Integer>) seen.get(label);
    }

    /** @return v of one row in a read, or {@code null} if the read did not run or had no such row */
    Integer value(String label, int id) {
        Map<Integer, Integer> r = read(label);
        return r == null ? null : r.get(id);
    }

    /** @return whether a read ran and returned the given value for the row */
    boolean saw(String label, int id, int v) {
        Integer x = value(label, id);
        return x != null && x == v;
    }

    /** @return an update count a step stored, or {@code null} if it did not run */
    Integer count(String label) {
        return (Integer) seen.get(label);
    }

    boolean committed(int session) {
        return committed[session];
    }

    boolean allCommitted() {
        for (boolean c : committed) {
            if (!c) {
                return false;
            }
        }
        return true;
    }

    /**
     * Classifies the run.
     *
     * @param anomaly whether the scenario's check found the anomaly
     * @return ALLOWED if it did; otherwise the first failure, else blocked if a step waited, else prevented
     */
    Outcome outcome(boolean anomaly) {
        if (anomaly) {
            return Outcome.ALLOWED;
        }
        if (failure != null) {
            return Outcome.error(failure);
        }
        return blockedSteps.isEmpty() ? Outcome.PREVENTED : Outcome.BLOCKED;
    }
}
