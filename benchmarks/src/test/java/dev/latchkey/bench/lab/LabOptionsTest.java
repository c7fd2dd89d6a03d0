package dev.latchkey.bench.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

class LabOptionsTest {

    @Test
    void defaultsAreTheReadmeRun() {
        LabOptions o = LabOptions.parse();

        assertThat(o).isEqualTo(LabOptions.defaults());
        assertThat(o.database()).isEqualTo("embedded-postgres");
        assertThat(o.strategies()).containsExactly("atomic", "optimistic", "pessimistic", "naive");
    }

    @Test
    void parsesEveryOption() {
        LabOptions o = LabOptions.parse("--threads", "8", "--duration=1500ms", "--warmup", "0", "--db", "jdbc:h2:mem:x",
                "--pool", "4", "--products", "2", "--stock", "50", "--duplicates", "0.5",
                "--strategies", "naive, atomic", "--json", "--no-progress");

        assertThat(o).isEqualTo(new LabOptions(8, Duration.ofMillis(1500), Duration.ZERO, "jdbc:h2:mem:x", 4, 2, 50, 0.5,
                List.of("naive", "atomic"), true, LabOptions.Progress.NONE));
    }

    @Test
    void poolFollowsThreadsUpToSixteen() {
        assertThat(LabOptions.parse("--threads", "4").poolSize()).isEqualTo(4);
        assertThat(LabOptions.parse("--threads", "100").poolSize()).isEqualTo(16);
    }

    @Test
    void durations() {
        assertThat(LabOptions.parseDuration("--duration", "250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(LabOptions.parseDuration("--duration", "2.5s")).isEqualTo(Duration.ofMillis(2500));
        assertThat(LabOptions.parseDuration("--duration", "1m")).isEqualTo(Duration.ofMinutes(1));
        assertThat(LabOptions.parseDuration("--duration", "3")).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void badArgumentsAreNamed() {
        assertThatThrownBy(() -> LabOptions.parse("--threads", "x")).hasMessageContaining("--threads").hasMessageContaining("x");
        assertThatThrownBy(() -> LabOptions.parse("--threads", "0")).hasMessageContaining("threads=0");
        assertThatThrownBy(() -> LabOptions.parse("--strategies", "magic")).hasMessageContaining("magic");
        assertThatThrownBy(() -> LabOptions.parse("--duplicates", "2")).hasMessageContaining("duplicates=2");
        assertThatThrownBy(() -> LabOptions.parse("--bogus", "1")).hasMessageContaining("--bogus");
        assertThatThrownBy(() -> LabOptions.parse("--threads")).hasMessageContaining("--threads needs a value");
        assertThatThrownBy(() -> LabOptions.parse("--duration", "soon")).hasMessageContaining("soon");
    }

    @Test
    void helpIsRecognised() {
        assertThatThrownBy(() -> LabOptions.parse("--help")).isInstanceOf(LabOptions.HelpRequested.class);
        assertThat(LabOptions.usage()).contains("--threads", "--duration", "--db", "--json");
    }
}
