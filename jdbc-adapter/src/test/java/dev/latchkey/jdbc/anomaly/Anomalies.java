package dev.latchkey.jdbc.anomaly;

import static dev.latchkey.jdbc.update.Expressions.col;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The anomalies of Hermitage (Kleppmann, after Adya's and Berenson's definitions), each as an
 * interleaving of two or three sessions over the table {@code (id, v, version)} holding
 * {@code (1, 10), (2, 20)}, with the check that recognises it and the Latchkey patterns that
 * prevent it. The interleavings follow Hermitage's scripts; where Hermitage only looks at what a
 * session printed, the check here states the anomaly as a condition on the run, so it holds
 * whatever the database did (blocked, failed, or let it through).
 */
final class Anomalies {
    static final String LOCKING_READ = "row lock on what is read: `latchkey.lock(t).keys(1, 2).forUpdate().fetch(tx)`";
    static final String GUARD_ROW = "write to a parent row that every reader and writer of the set touches first:"
            + " `latchkey.update(\"parent\").whereId(id).forceIncrement().execute(tx)`";
    static final String GUARDED_UPDATE = "guarded atomic update: `update(t).set(\"v\", col(\"v\").minus(1))"
            + ".require(col(\"v\").ge(1)).whereId(1)`";
    static final String VERSION_CHECK = "optimistic version check: `update(t).set(\"v\", read - 1).whereId(1)"
            + ".expectVersion(versionRead)`";

    static final Scenario G0 = new Scenario("G0", "dirty write (write cycle)", 2, (s, variant) -> {
        s.sql(0, "UPDATE {t} SET v = 11 WHERE id = 1");
        s.sql(1, "UPDATE {t} SET v = 12 WHERE id = 1");
        s.sql(1, "UPDATE {t} SET v = 22 WHERE id = 2");
        s.sql(0, "UPDATE {t} SET v = 21 WHERE id = 2");
        s.commit(0);
        s.commit(1);
    }, r -> r.allCommitted() && (Objects.equals(r.rows().get(1), 12) && Objects.equals(r.rows().get(2), 21)
            || Objects.equals(r.rows().get(1), 11) && Objects.equals(r.rows().get(2), 22)), List.of());

    static final Scenario G1A = new Scenario("G1a", "aborted read", 2, (s, variant) -> {
        s.sql(0, "UPDATE {t} SET v = 101 WHERE id = 1");
        readAll(s, 1, "r1", variant);
        s.rollback(0);
        readAll(s, 1, "r2", variant);
        s.commit(1);
    }, r -> r.saw("r1", 1, 101) || r.saw("r2", 1, 101), List.of(LOCKING_READ));

    static final Scenario G1B = new Scenario("G1b", "intermediate read", 2, (s, variant) -> {
        s.sql(0, "UPDATE {t} SET v = 101 WHERE id = 1");
        readAll(s, 1, "r1", variant);
        s.sql(0, "UPDATE {t} SET v = 11 WHERE id = 1");
        s.commit(0);
        readAll(s, 1, "r2", variant);
        s.commit(1);
    }, r -> r.saw("r1", 1, 101) || r.saw("r2", 1, 101), List.of(LOCKING_READ));

    static final Scenario G1C = new Scenario("G1c", "circular information flow", 2, (s, variant) -> {
        s.sql(0, "UPDATE {t} SET v = 11 WHERE id = 1");
        s.sql(1, "UPDATE {t} SET v = 22 WHERE id = 2");
        readRows(s, 0, "a", variant, 2);
        readRows(s, 1, "b", variant, 1);
        s.commit(0);
        s.commit(1);
    }, r -> r.saw("a", 2, 22) && r.saw("b", 1, 11), List.of(LOCKING_READ));

    static final Scenario OTV = new Scenario("OTV", "observed transaction vanishes", 3, (s, variant) -> {
        s.sql(0, "UPDATE {t} SET v = 11 WHERE id = 1");
        s.sql(0, "UPDATE {t} SET v = 19 WHERE id = 2");
        s.sql(1, "UPDATE {t} SET v = 12 WHERE id = 1");
        s.commit(0);
        readAll(s, 2, "a", variant);
        s.sql(1, "UPDATE {t} SET v = 18 WHERE id = 2");
        readAll(s, 2, "b", variant);
        s.commit(1);
        readAll(s, 2, "c", variant);
        s.commit(2);
    }, Anomalies::t2VanishedForT3, List.of(LOCKING_READ));

    static final Scenario PMP = new Scenario("PMP", "predicate-many-preceders", 2, (s, variant) -> {
        guard(s, 0, variant);
        s.read(0, "a", "v = 30");
        guard(s, 1, variant);
        s.sql(1, "INSERT INTO {t} (id, v) VALUES (3, 30)");
        s.commit(1);
        s.read(0, "b", "MOD(v, 3) = 0");
        s.commit(0);
    }, r -> r.read("b") != null && r.read("b").containsKey(3), List.of(GUARD_ROW));

    static final Scenario PMP_WRITE = new Scenario("PMP-write", "predicate-many-preceders, write predicate", 2,
            (s, variant) -> {
                guard(s, 0, variant);
                s.sql(0, "UPDATE {t} SET v = v + 10");
                guard(s, 1, variant);
                s.read(1, "before", "v = 20");
                s.count(1, "deleted", "DELETE FROM {t} WHERE v = 20");
                s.commit(0);
                s.read(1, "after", "v = 20");
                s.commit(1);
            }, r -> r.committed(1) && r.read("after") != null && !r.read("after").isEmpty(), List.of(GUARD_ROW));

    static final Scenario P4 = new Scenario("P4", "lost update", 2, (s, variant) -> {
        readVersioned(s, 0, "a");
        readVersioned(s, 1, "b");
        sell(s, 0, "a", variant);
        sell(s, 1, "b", variant);
        s.commit(0);
        s.commit(1);
    }, r -> r.allCommitted() && Objects.equals(r.rows().get(1), 9), List.of(GUARDED_UPDATE, VERSION_CHECK));

    static final Scenario G_SINGLE = new Scenario("G-single", "read skew", 2, (s, variant) -> {
        readFirst(s, variant);
        s.read(1, "t2", "");
        s.sql(1, "UPDATE {t} SET v = 12 WHERE id = 1");
        s.sql(1, "UPDATE {t} SET v = 18 WHERE id = 2");
        s.commit(1);
        s.read(0, "b", "id = 2");
        s.commit(0);
    }, r -> r.value("a", 1) != null && r.value("b", 2) != null && r.value("a", 1) + r.value("b", 2) != 30,
            List.of(LOCKING_READ));

    static final Scenario G_SINGLE_WRITE = new Scenario("G-single-write", "read skew, write predicate", 2,
            (s, variant) -> {
                readFirst(s, variant);
                s.read(1, "t2", "");
                s.sql(1, "UPDATE {t} SET v = 12 WHERE id = 1");
                s.sql(1, "UPDATE {t} SET v = 18 WHERE id = 2");
                s.commit(1);
                s.count(0, "deleted", "DELETE FROM {t} WHERE v = 20");
                s.read(0, "b", "id = 2");
                s.commit(0);
            }, r -> r.committed(0) && r.saw("a", 1, 10) && Objects.equals(r.count("deleted"), 0),
            List.of(LOCKING_READ));

    static final Scenario G2_ITEM = new Scenario("G2-item", "write skew", 2, (s, variant) -> {
        readRows(s, 0, "a", variant, 1, 2);
        readRows(s, 1, "b", variant, 1, 2);
        s.sql(0, "UPDATE {t} SET v = 11 WHERE id = 1");
        s.sql(1, "UPDATE {t} SET v = 21 WHERE id = 2");
        s.commit(0);
        s.commit(1);
    }, r -> r.allCommitted() && r.read("a") != null && r.read("b") != null && !r.saw("a", 2, 21)
            && !r.saw("b", 1, 11), List.of(LOCKING_READ));

    static final Scenario G2 = new Scenario("G2", "anti-dependency cycle (predicate)", 2, (s, variant) -> {
        guard(s, 0, variant);
        s.read(0, "a", "MOD(v, 3) = 0");
        guard(s, 1, variant);
        s.read(1, "b", "MOD(v, 3) = 0");
        s.sql(0, "INSERT INTO {t} (id, v) VALUES (3, 30)");
        s.sql(1, "INSERT INTO {t} (id, v) VALUES (4, 42)");
        s.commit(0);
        s.commit(1);
    }, r -> r.allCommitted() && r.read("a") != null && r.read("b") != null && !r.read("a").containsKey(4)
            && !r.read("b").containsKey(3), List.of(GUARD_ROW));

    /** Every anomaly, in Hermitage's order (the write-predicate variants after their read-predicate ones). */
    static final List<Scenario> ALL = List.of(G0, G1A, G1B, G1C, OTV, PMP, PMP_WRITE, P4, G_SINGLE, G_SINGLE_WRITE,
            G2_ITEM, G2);

    private Anomalies() {
    }

    /** Reads both rows: plain, or with the locking read. */
    private static void readAll(Interleaving s, int session, String label, int variant) {
        readRows(s, session, label, variant, 1, 2);
    }

    /** Reads rows by id: plain, or (variant 1) locked through {@code latchkey.lock(t).keys(..)}. */
    private static void readRows(Interleaving s, int session, String label, int variant, Object... ids) {
        if (variant == 0) {
            String in = ids.length == 1 ? "id = " + ids[0] : "id IN (" + ids[0] + ", " + ids[1] + ")";
            s.read(session, label, in);
            return;
        }
        s.step(session, label, c -> {
            Map<Integer, Integer> rows = new LinkedHashMap<>();
            for (int[] row : s.latchkey().lock(s.table()).keys(ids).forUpdate()
                    .fetch(c, rs -> new int[] {rs.getInt("id"), rs.getInt("v")})) {
                rows.put(row[0], row[1]);
            }
            return rows;
        });
    }

    /**
     * Read skew's first read: T1 reads row 1 (plain), or locks both rows it is going to read
     * (variant 1), so that T2 cannot change row 2 in between.
     */
    private static void readFirst(Interleaving s, int variant) {
        if (variant == 0) {
            s.read(0, "a", "id = 1");
        } else {
            readRows(s, 0, "a", variant, 1, 2);
        }
    }

    /**
     * Variant 1 of a predicate anomaly: materialize the conflict on a parent (guard) row before
     * touching the set. It must be a write: a mere {@code FOR UPDATE} on the parent is not enough
     * under snapshot isolation (PostgreSQL REPEATABLE READ, H2 SNAPSHOT and SERIALIZABLE), where the
     * waiting transaction's snapshot is older than the lock it waited for, so it still misses the
     * other's insert; a write to a row changed since the snapshot is refused there (40001).
     */
    private static void guard(Interleaving s, int session, int variant) {
        if (variant == 1) {
            s.step(session, "guard", c -> {
                if (!s.latchkey().update(s.guard()).whereId(1).forceIncrement().execute(c).applied()) {
                    throw new IllegalStateException("the guard row is missing");
                }
                return null;
            });
        }
    }

    /** Reads row 1's stock and version: {@code long[] {v, version}}. */
    private static void readVersioned(Interleaving s, int session, String label) {
        s.step(session, label, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT v, version FROM " + s.table() + " WHERE id = 1");
                    ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new long[] {rs.getLong(1), rs.getLong(2)};
            }
        });
    }

    /** Sells one unit of row 1: read-then-write (0), guarded atomic update (1) or version-checked write (2). */
    private static void sell(Interleaving s, int session, String readLabel, int variant) {
        s.step(session, null, c -> {
            long[] read = (long[]) s.seen(readLabel);
            switch (variant) {
                case 0:
                    try (PreparedStatement ps = c.prepareStatement("UPDATE " + s.table() + " SET v = ? WHERE id = 1")) {
                        ps.setLong(1, read[0] - 1);
                        ps.executeUpdate();
                    }
                    return null;
                case 1:
                    if (!s.latchkey().update(s.table()).set("v", col("v").minus(1)).whereId(1)
                            .require(col("v").ge(1)).execute(c).applied()) {
                        throw new IllegalStateException("stock ran out: the guard refused");
                    }
                    return null;
                default:
                    s.latchkey().update(s.table()).set("v", read[0] - 1).whereId(1).expectVersion(read[1]).execute(c);
                    return null;
            }
        });
    }

    /**
     * OTV: T3 saw a value T2 wrote and then (or in the same read) a value of T1 that T2 overwrote,
     * so T2's effects vanished from T3's view.
     */
    private static boolean t2VanishedForT3(Run r) {
        boolean sawT2 = false;
        for (String label : List.of("a", "b", "c")) {
            Map<Integer, Integer> m = r.read(label);
            if (m == null) {
                continue;
            }
            boolean t2 = Objects.equals(m.get(1), 12) || Objects.equals(m.get(2), 18);
            boolean overwrittenT1 = Objects.equals(m.get(1), 11) || Objects.equals(m.get(2), 19);
            if ((sawT2 || t2) && overwrittenT1) {
                return true;
            }
            sawT2 |= t2;
        }
        return false;
    }
}
