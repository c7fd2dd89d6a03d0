package dev.latchkey.arch;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;

/**
 * The package dependency graph of a module's compiled classes, as {@code jdeps -verbose:package}
 * reports it, and its cycles. Shared by every module's {@code PackageCycleTest} through
 * latchkey-core's test-jar.
 */
public final class PackageCycles {
    private static final Pattern EDGE = Pattern.compile("^\\s+(dev\\.latchkey[\\w.]*)\\s+->\\s+(dev\\.latchkey[\\w.]*)\\s");

    private PackageCycles() {
    }

    /**
     * Runs jdeps on a classes directory and returns the edges between Latchkey packages.
     *
     * @param classes e.g. {@code target/classes}
     * @param classpath other jars or directories the classes refer to (may be empty)
     * @return package -> the packages it depends on (self-edges left out)
     */
    public static Map<String, Set<String>> graph(Path classes, List<Path> classpath) {
        if (!Files.isDirectory(classes)) {
            throw new IllegalStateException("no compiled classes at " + classes.toAbsolutePath());
        }
        ToolProvider jdeps = ToolProvider.findFirst("jdeps")
                .orElseThrow(() -> new IllegalStateException("jdeps is not available in this JDK"));
        List<String> args = new ArrayList<>(List.of("-verbose:package", "-e", "dev\\.latchkey.*"));
        if (!classpath.isEmpty()) {
            StringBuilder cp = new StringBuilder();
            for (Path p : classpath) {
                cp.append(cp.length() == 0 ? "" : java.io.File.pathSeparator).append(p);
            }
            args.add("--module-path");
            args.add(cp.toString());
        }
        args.add(classes.toString());
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int rc = jdeps.run(new PrintWriter(out), new PrintWriter(err), args.toArray(String[]::new));
        if (rc != 0) {
            throw new IllegalStateException("jdeps failed (" + rc + "): " + err + out);
        }
        Map<String, Set<String>> graph = new TreeMap<>();
        for (String line : out.toString().split("\\R")) {
            Matcher m = EDGE.matcher(line);
            if (m.find()) {
                graph.computeIfAbsent(m.group(1), k -> new TreeSet<>());
                if (!m.group(1).equals(m.group(2))) {
                    graph.get(m.group(1)).add(m.group(2));
                }
            }
        }
        return graph;
    }

    /**
     * The strongly connected components with more than one package: each is a cycle.
     *
     * @param graph package -> dependencies
     * @return the cycles, each a sorted set of packages; empty when the graph is acyclic
     */
    public static List<Set<String>> cycles(Map<String, Set<String>> graph) {
        return new Tarjan(graph).run();
    }

    /** Renders the graph as {@code a -> b, c} lines, for failure messages and closing notes. */
    public static String render(Map<String, Set<String>> graph) {
        StringBuilder b = new StringBuilder();
        graph.forEach((from, to) -> b.append(from).append(" -> ").append(String.join(", ", to)).append('\n'));
        return b.toString();
    }

    /** Tarjan's strongly-connected-components algorithm, iterative over a small graph. */
    private static final class Tarjan {
        private final Map<String, Set<String>> graph;
        private final Map<String, Integer> index = new HashMap<>();
        private final Map<String, Integer> low = new HashMap<>();
        private final Deque<String> stack = new ArrayDeque<>();
        private final Set<String> onStack = new TreeSet<>();
        private final List<Set<String>> components = new ArrayList<>();
        private int next;

        Tarjan(Map<String, Set<String>> graph) {
            this.graph = graph;
        }

        List<Set<String>> run() {
            for (String v : graph.keySet()) {
                if (!index.containsKey(v)) {
                    visit(v);
                }
            }
            return components;
        }

        private void visit(String v) {
            index.put(v, next);
            low.put(v, next);
            next++;
            stack.push(v);
            onStack.add(v);
            for (String w : graph.getOrDefault(v, Set.of())) {
                if (!index.containsKey(w)) {
                    visit(w);
                    low.put(v, Math.min(low.get(v), low.get(w)));
                } else if (onStack.contains(w)) {
                    low.put(v, Math.min(low.get(v), index.get(w)));
                }
            }
            if (low.get(v).equals(index.get(v))) {
                Set<String> component = new TreeSet<>();
                String w;
                do {
                    w = stack.pop();
                    onStack.remove(w);
                    component.add(w);
                } while (!w.equals(v));
                if (component.size() > 1) {
                    components.add(component);
                }
            }
        }
    }
}
