package dev.latchkey.jdbc.anomaly;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The outcome table, level by anomaly, as markdown (the README's form, and the form the expected
 * tables in {@link ExpectedOutcomes} are written in).
 */
final class AnomalyTable {
    private AnomalyTable() {
    }

    /**
     * Renders a table.
     *
     * @param outcomes level name to (anomaly id to outcome), in row and column order
     * @return the markdown, one line per level after the header
     */
    static String markdown(Map<String, Map<String, Outcome>> outcomes) {
        List<String> ids = new ArrayList<>(outcomes.values().iterator().next().keySet());
        StringBuilder b = new StringBuilder("| level |");
        ids.forEach(id -> b.append(' ').append(id).append(" |"));
        b.append("\n|---|");
        ids.forEach(id -> b.append("---|"));
        for (Map.Entry<String, Map<String, Outcome>> row : outcomes.entrySet()) {
            b.append("\n| ").append(row.getKey()).append(" |");
            for (String id : ids) {
                Outcome o = row.getValue().get(id);
                b.append(' ').append(o == null ? "" : o.prevented() ? o.cell() : "**" + o.cell() + "**").append(" |");
            }
        }
        return b.append('\n').toString();
    }

    /**
     * Reads a table written by {@link #markdown(Map)} (bold and the separator line ignored).
     *
     * @param text the markdown
     * @return level name to (anomaly id to outcome)
     */
    static Map<String, Map<String, Outcome>> parse(String text) {
        Map<String, Map<String, Outcome>> table = new LinkedHashMap<>();
        List<String> ids = null;
        for (String line : text.strip().split("\n")) {
            String[] cells = line.strip().replaceAll("^\\||\\|$", "").split("\\|");
            if (ids == null) {
                ids = new ArrayList<>();
                for (int i = 1; i < cells.length; i++) {
                    ids.add(cells[i].strip());
                }
                continue;
            }
            if (cells[0].strip().startsWith("---")) {
                continue;
            }
            if (cells.length != ids.size() + 1) {
                throw new IllegalArgumentException("expected " + (ids.size() + 1) + " cells: line=" + line);
            }
            Map<String, Outcome> row = new LinkedHashMap<>();
            for (int i = 1; i < cells.length; i++) {
                row.put(ids.get(i - 1), Outcome.parse(cells[i]));
            }
            table.put(cells[0].strip(), row);
        }
        return table;
    }
}
