package dev.latchkey.jdbc.anomaly;

import java.util.Objects;

/**
 * How a database met one anomaly's interleaving at one isolation level.
 *
 * @param kind what happened
 * @param code for {@link Kind#PREVENTED_ERROR}: the SQLSTATE (and, on MariaDB and H2, the vendor
 *        code after a slash, e.g. {@code 40001/1213}), or the Latchkey exception's simple name when
 *        it carries no SQLSTATE; {@code null} otherwise
 */
record Outcome(Kind kind, String code) {

    /** The four ways an interleaving can end. */
    enum Kind {
        /** The anomaly showed: the transactions committed with a result no serial order gives. */
        ALLOWED,
        /** The anomaly did not show, and nothing waited or failed: reads only saw committed data. */
        PREVENTED,
        /** A session waited for another's lock, and the anomaly did not show. */
        PREVENTED_BLOCKED,
        /** A session failed (serialization failure, deadlock, stale version), so one transaction rolled back. */
        PREVENTED_ERROR
    }

    static final Outcome ALLOWED = new Outcome(Kind.ALLOWED, null);
    static final Outcome PREVENTED = new Outcome(Kind.PREVENTED, null);
    static final Outcome BLOCKED = new Outcome(Kind.PREVENTED_BLOCKED, null);

    Outcome {
        Objects.requireNonNull(kind, "kind");
        if ((kind == Kind.PREVENTED_ERROR) != (code != null)) {
            throw new IllegalArgumentException("a code goes with PREVENTED_ERROR only: kind=" + kind + ", code=" + code);
        }
    }

    static Outcome error(String code) {
        return new Outcome(Kind.PREVENTED_ERROR, code);
    }

    boolean prevented() {
        return kind != Kind.ALLOWED;
    }

    /** @return the text of a table cell: {@code allowed}, {@code prevented}, {@code blocked} or {@code error <code>} */
    String cell() {
        switch (kind) {
            case ALLOWED:
                return "allowed";
            case PREVENTED:
                return "prevented";
            case PREVENTED_BLOCKED:
                return "blocked";
            default:
                return "error " + code;
        }
    }

    /**
     * Reads a cell written by {@link #cell()}.
     *
     * @param cell the text
     * @return the outcome
     */
    static Outcome parse(String cell) {
        String c = cell.trim().replace("*", "");
        switch (c) {
            case "allowed":
                return ALLOWED;
            case "prevented":
                return PREVENTED;
            case "blocked":
                return BLOCKED;
            default:
                if (c.startsWith("error ")) {
                    return error(c.substring("error ".length()).trim());
                }
                throw new IllegalArgumentException("not an outcome: cell=" + cell);
        }
    }
}
