package dev.latchkey.arch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** latchkey-core's packages form no cycle: each reads bottom-up (checked on the compiled classes). */
class PackageCycleTest {

    @Test
    void corePackagesHaveNoCycle() {
        Map<String, Set<String>> graph = PackageCycles.graph(Path.of("target/classes"), List.of());
        assertThat(graph).as("jdeps found the core packages").containsKey("dev.latchkey.idempotency");
        assertThat(PackageCycles.cycles(graph)).as("package cycles in\n" + PackageCycles.render(graph)).isEmpty();
    }

    @Test
    void aCycleIsFound() {
        Map<String, Set<String>> graph = Map.of("a", Set.of("b"), "b", Set.of("c"), "c", Set.of("a"), "d", Set.of("a"));
        assertThat(PackageCycles.cycles(graph)).containsExactly(Set.of("a", "b", "c"));
    }
}
