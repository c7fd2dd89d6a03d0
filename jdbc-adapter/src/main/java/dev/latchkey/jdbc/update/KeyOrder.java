package dev.latchkey.jdbc.update;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The order a batch visits its rows in: by key, when every key column holds mutually comparable
 * values (numbers, strings, date-times, UUIDs), else as given. Batches that lock rows in one
 * global order cannot deadlock each other; the order need not match the database's collation,
 * only be the same for every batch.
 */
final class KeyOrder {
    private KeyOrder() {
    }

    /**
     * Returns the indexes of {@code keys} in visiting order.
     *
     * @return the indexes of {@code keys} in visiting order
     */
    static int[] order(List<List<Object>> keys) {
        int n = keys.size();
        List<Integer> idx = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            idx.add(i);
        }
        if (sortable(keys)) {
            idx.sort(comparator(keys));
        }
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = idx.get(i);
        }
        return out;
    }

    private static boolean sortable(List<List<Object>> keys) {
        if (keys.isEmpty()) {
            return false;
        }
        int width = keys.get(0).size();
        for (int c = 0; c < width; c++) {
            Object first = keys.get(0).get(c);
            if (!(first instanceof Comparable)) {
                return false;
            }
            for (List<Object> k : keys) {
                if (k.size() != width || k.get(c) == null || k.get(c).getClass() != first.getClass()) {
                    return false;
                }
            }
        }
        return true;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Comparator<Integer> comparator(List<List<Object>> keys) {
        return (a, b) -> {
            List<Object> x = keys.get(a);
            List<Object> y = keys.get(b);
            for (int c = 0; c < x.size(); c++) {
                int r = ((Comparable) x.get(c)).compareTo(y.get(c));
                if (r != 0) {
                    return r;
                }
            }
            return 0;
        };
    }
}
