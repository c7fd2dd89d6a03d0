package dev.latchkey.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.function.Function;

import io.lettuce.core.RedisCommandExecutionException;
import org.junit.jupiter.api.Test;

/** What the durability check reads and concludes, on the local server and on simulated ones. */
class DurabilityCheckTest {
    private static final Function<String, String> CONFIG_DISABLED = p -> {
        throw new RedisCommandExecutionException("ERR unknown command 'CONFIG', with args beginning with: 'GET'");
    };

    @Test
    void theReportIsWhatTheLocalServerIsConfiguredWith() {
        try (LatchkeyRedis redis = LocalRedis.connect()) {
            DurabilityReport report = redis.durability();
            Map<String, String> config = LocalRedis.admin().configGet("maxmemory-policy", "appendonly", "save");
            assertThat(report.maxmemoryPolicy()).isEqualTo(config.get("maxmemory-policy"));
            assertThat(report.appendOnly()).isEqualTo("yes".equals(config.get("appendonly")));
            assertThat(report.rdbSave()).isEqualTo(config.get("save"));
            assertThat(report.redisVersion()).startsWith(LocalRedis.admin().info("server").lines()
                    .filter(l -> l.startsWith("redis_version:")).findFirst().orElseThrow().substring(14, 15));
            assertThat(redis.checkDurability()).isEqualTo(report);
            if ("no".equals(config.get("appendonly")) && "".equals(config.get("save"))) {
                assertThat(report.problems()).anySatisfy(p -> assertThat(p).startsWith("no persistence"));
            }
        }
    }

    @Test
    void failRefusesExactlyAServerThatMayLoseRecords() {
        DurabilityReport report;
        try (LatchkeyRedis redis = LocalRedis.connect()) {
            report = redis.durability();
        }
        if (report.isDurable()) {
            LatchkeyRedis.builder(LocalRedis.URL).durabilityCheck(DurabilityCheck.FAIL).build().close();
        } else {
            assertThatThrownBy(() -> LatchkeyRedis.builder(LocalRedis.URL).durabilityCheck(DurabilityCheck.FAIL).build())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("DurabilityCheck.FAIL")
                    .hasMessageContaining(report.problems().get(0));
        }
        LatchkeyRedis.builder(LocalRedis.URL).durabilityCheck(DurabilityCheck.WARN).build().close();
    }

    @Test
    void aManagedRedisWithoutConfigIsReadFromInfo() {
        Function<String, String> info = section -> switch (section) {
            case "server" -> "# Server\r\nredis_version:7.2.4\r\n";
            case "memory" -> "# Memory\r\nmaxmemory_policy:volatile-lru\r\n";
            case "persistence" -> "# Persistence\r\naof_enabled:1\r\n";
            default -> throw new AssertionError(section);
        };
        DurabilityReport r = DurabilityProbe.inspect(info, CONFIG_DISABLED);
        assertThat(r.redisVersion()).isEqualTo("7.2.4");
        assertThat(r.maxmemoryPolicy()).isEqualTo("volatile-lru");
        assertThat(r.appendOnly()).isTrue();
        assertThat(r.rdbSave()).isNull();
        assertThat(r.problems()).singleElement().asString()
                .contains("volatile-lru").contains("evict a live idempotency record");
    }

    @Test
    void nothingReadableIsReportedAsUnknownNotAsDurable() {
        Function<String, String> noInfo = s -> {
            throw new RedisCommandExecutionException("NOPERM this user has no permissions to run the 'info' command");
        };
        DurabilityReport r = DurabilityProbe.inspect(noInfo, CONFIG_DISABLED);
        assertThat(r.isDurable()).isFalse();
        assertThat(r.problems()).hasSize(2).allSatisfy(p -> assertThat(p).contains("could not be read"));
    }

    @Test
    void eachWeakSettingIsNamed() {
        assertThat(DurabilityReport.of("7.0.0", "noeviction", true, "").isDurable()).isTrue();
        assertThat(DurabilityReport.of("7.0.0", "noeviction", false, "3600 1").problems()).singleElement().asString()
                .startsWith("RDB snapshots only (save \"3600 1\"");
        assertThat(DurabilityReport.of("7.0.0", "allkeys-lru", false, "").problems()).hasSize(2);
        assertThat(DurabilityReport.of(null, "noeviction", false, null).problems()).singleElement().asString()
                .contains("RDB save setting could not be read");
        assertThatThrownBy(() -> DurabilityReport.of("7", "noeviction", true, "").problems().add("x"))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void versionsBelowSevenAreRecognised() {
        assertThat(DurabilityProbe.majorMinor("7.0.15")).isEqualTo(70);
        assertThat(DurabilityProbe.majorMinor("6.2.14")).isEqualTo(62);
        assertThat(DurabilityProbe.majorMinor("8.0.0")).isEqualTo(80);
        assertThat(DurabilityProbe.majorMinor("garbage")).isEqualTo(-1);
        assertThat(DurabilityProbe.majorMinor(null)).isEqualTo(-1);
    }
}
