package dev.latchkey.jdbc.update;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Orders a {@code SET} list so that a database that assigns left to right (MySQL, MariaDB:
 * {@code SET a = 1, b = a} stores 1 in {@code b}) gives the standard result, where every
 * assignment reads the row as it was. An assignment that reads a column must come before the
 * assignment to that column; a cycle ({@code SET a = b, b = a}) has no such order and is refused.
 */
final class AssignmentOrder {
    private AssignmentOrder() {
    }

    /**
     * Returns the assignments in an order the dialect evaluates with standard semantics; the given order when the dialect assigns simultaneously or no assignment depends on another.
     *
     * @return the assignments in an order the dialect evaluates with standard semantics; the
     *         given order when the dialect assigns simultaneously or no assignment depends on another
     * @throws UnsupportedOperationException for a cycle on a left-to-right dialect
     */
    static List<Assignment> order(List<Assignment> assignments, UpdateSql sql) {
        if (!sql.assignsSequentially() || assignments.size() < 2) {
            return assignments;
        }
        int n = assignments.size();
        List<Set<String>> reads = new ArrayList<>(n);
        for (Assignment a : assignments) {
            reads.add(a.reads());
        }
        // i must precede j when i reads the column j assigns (i != j)
        boolean[] placed = new boolean[n];
        List<Assignment> ordered = new ArrayList<>(n);
        while (ordered.size() < n) {
            int next = -1;
            for (int j = 0; j < n && next < 0; j++) {
                if (!placed[j] && noUnplacedReaderOf(j, assignments, reads, placed)) {
                    next = j;
                }
            }
            if (next < 0) {
                Set<String> cycle = new TreeSet<>();
                for (int j = 0; j < n; j++) {
                    if (!placed[j]) {
                        cycle.add(assignments.get(j).column);
                    }
                }
                throw sql.dialect.unsupported("a SET list whose assignments read each other's columns in a cycle "
                        + cycle + " (this database assigns left to right, so no order keeps the standard "
                        + "meaning; split it into two statements)");
            }
            placed[next] = true;
            ordered.add(assignments.get(next));
        }
        return ordered;
    }

    /** Whether no other unplaced assignment reads the column assignment {@code j} writes. */
    private static boolean noUnplacedReaderOf(int j, List<Assignment> assignments, List<Set<String>> reads,
                                              boolean[] placed) {
        String written = assignments.get(j).canonicalColumn();
        for (int i = 0; i < assignments.size(); i++) {
            if (i != j && !placed[i] && reads.get(i).contains(written)) {
                return false;
            }
        }
        return true;
    }
}
