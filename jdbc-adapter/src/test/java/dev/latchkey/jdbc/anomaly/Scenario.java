package dev.latchkey.jdbc.anomaly;

import java.util.List;

/**
 * One Hermitage anomaly: the interleaving that provokes it, the check that recognises it in the
 * run, and the Latchkey patterns that, run through the same interleaving, make it impossible.
 *
 * @param id the short name (Adya's, as Hermitage uses them), e.g. {@code G2-item}
 * @param title what it is called in plain words
 * @param sessions how many sessions the interleaving needs
 * @param script the interleaving; variant 0 is plain SQL, variant {@code i > 0} goes through {@code patterns.get(i - 1)}
 * @param check whether a run shows the anomaly
 * @param patterns the Latchkey patterns that prevent it, as the README names them
 */
record Scenario(String id, String title, int sessions, Script script, Check check, List<String> patterns) {

    /** Plays the interleaving on the sessions. */
    @FunctionalInterface
    interface Script {
        void play(Interleaving s, int variant);
    }

    /** Recognises the anomaly in a finished run. */
    @FunctionalInterface
    interface Check {
        boolean anomaly(Run r);
    }

    @Override
    public String toString() {
        return id;
    }
}
