package dev.latchkey.jdbc.arch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.latchkey.arch.PackageCycles;
import org.junit.jupiter.api.Test;

/**
 * latchkey-jdbc's packages form no cycle and keep the documented layering: dialect at the bottom,
 * then error, sql, internal, the feature packages, and the entry package on top.
 */
class PackageCycleTest {
    private static final List<String> LAYERS = List.of("dev.latchkey.jdbc.dialect", "dev.latchkey.jdbc.error",
            "dev.latchkey.jdbc.sql", "dev.latchkey.jdbc.internal");
    /** The feature packages: each may use the layers above, never another feature or the entry package. */
    private static final List<String> FEATURES = List.of("dev.latchkey.jdbc.update", "dev.latchkey.jdbc.lock",
            "dev.latchkey.jdbc.idempotency", "dev.latchkey.jdbc.lease");

    private static Map<String, Set<String>> graph() {
        return PackageCycles.graph(Path.of("target/classes"), List.of(Path.of("../core/target/classes")));
    }

    @Test
    void jdbcPackagesHaveNoCycle() {
        Map<String, Set<String>> graph = graph();
        assertThat(graph).as("jdeps found the jdbc packages").containsKeys("dev.latchkey.jdbc", "dev.latchkey.jdbc.update");
        assertThat(PackageCycles.cycles(graph)).as("package cycles in\n" + PackageCycles.render(graph)).isEmpty();
    }

    @Test
    void lowerLayersNeverDependOnHigherOnes() {
        Map<String, Set<String>> graph = graph();
        for (int i = 0; i < LAYERS.size(); i++) {
            Set<String> deps = graph.getOrDefault(LAYERS.get(i), Set.of());
            for (String dep : deps) {
                if (dep.startsWith("dev.latchkey.jdbc")) {
                    assertThat(LAYERS.subList(0, i)).as(LAYERS.get(i) + " may depend only on the layers below it, "
                            + "not on " + dep + "\n" + PackageCycles.render(graph)).contains(dep);
                }
            }
        }
    }

    @Test
    void featurePackagesDependOnlyOnTheLayersBelow() {
        Map<String, Set<String>> graph = graph();
        assertThat(graph).as("jdeps found every feature package").containsKeys(FEATURES.toArray(String[]::new));
        for (String feature : FEATURES) {
            for (String dep : graph.getOrDefault(feature, Set.of())) {
                if (dep.startsWith("dev.latchkey.jdbc") && !dep.equals(feature)) {
                    assertThat(LAYERS).as(feature + " may depend only on " + LAYERS + ", not on " + dep + "\n"
                            + PackageCycles.render(graph)).contains(dep);
                }
            }
        }
    }
}
