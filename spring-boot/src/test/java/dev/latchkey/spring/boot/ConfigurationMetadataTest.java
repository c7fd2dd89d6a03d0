package dev.latchkey.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * The {@code latchkey.*} metadata that IDEs complete from is generated into the starter's jar (on
 * Boot 4 the tests run on the installed jar itself), with a description for every property.
 */
class ConfigurationMetadataTest {

    static final List<String> PROPERTIES = List.of(
            "latchkey.join-spring-transactions",
            "latchkey.retry.max-attempts", "latchkey.retry.initial-delay", "latchkey.retry.max-delay",
            "latchkey.retry.multiplier", "latchkey.retry.max-duration",
            "latchkey.idempotency.enabled", "latchkey.idempotency.table", "latchkey.idempotency.lease",
            "latchkey.idempotency.retention", "latchkey.idempotency.create-table",
            "latchkey.idempotency.purge.interval", "latchkey.idempotency.purge.batch-size",
            "latchkey.metrics.enabled",
            "latchkey.web.idempotency.enabled", "latchkey.web.idempotency.transactional");

    @Test
    void everyPropertyIsDescribedInTheArtifact() throws IOException {
        String classFile = LatchkeyProperties.class.getName().replace('.', '/') + ".class";
        URL clazz = LatchkeyProperties.class.getClassLoader().getResource(classFile);
        assertThat(clazz).isNotNull();
        String root = clazz.toString().substring(0, clazz.toString().length() - classFile.length());
        URL metadata = URI.create(root + "META-INF/spring-configuration-metadata.json").toURL();
        if (Boot.expectedMajor() >= 4) {
            assertThat(metadata.getProtocol()).as("tested from the starter's jar").isEqualTo("jar");
        }
        String json;
        try (InputStream in = metadata.openStream()) {
            json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        for (String property : PROPERTIES) {
            Matcher entry = Pattern.compile("\\{[^{}]*\"name\": \"" + Pattern.quote(property) + "\"[^{}]*}").matcher(json);
            assertThat(entry.find()).as(property + " in " + metadata).isTrue();
            assertThat(entry.group()).as(property).contains("\"description\": \"", "\"type\": \"");
        }
        Matcher names = Pattern.compile("\"name\": \"(latchkey\\.[a-z.-]+)\"").matcher(json);
        int properties = 0;
        while (names.find()) {
            if (!List.of("latchkey", "latchkey.retry", "latchkey.idempotency", "latchkey.idempotency.purge",
                    "latchkey.metrics", "latchkey.web", "latchkey.web.idempotency").contains(names.group(1))) {
                assertThat(PROPERTIES).as("documented here and in the README").contains(names.group(1));
                properties++;
            }
        }
        assertThat(properties).isEqualTo(PROPERTIES.size());
        assertThat(json).contains("\"defaultValue\": \"latchkey_idempotency\"", "\"defaultValue\": \"60s\"",
                "\"defaultValue\": \"24h\"", "\"defaultValue\": \"10ms\"");
    }
}
