package dev.latchkey.jdbc.dialect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * {@code Identifiers.require} checks plain names without a regular expression: it must accept and
 * refuse exactly what the documented rule does (each unquoted part {@code [A-Za-z_][A-Za-z0-9_]{0,62}},
 * at most {@code schema.name}).
 */
class IdentifierFastPathTest {
    private static final Pattern RULE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}(\\.[A-Za-z_][A-Za-z0-9_]{0,62})?");

    private static boolean accepted(String name) {
        try {
            Identifiers.require("table", name);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    @Test
    void acceptsExactlyWhatTheRuleAccepts() {
        List<String> names = new ArrayList<>(List.of("", ".", "a.", ".a", "a..b", "a.b.c", "_", "a1", "1a", "a.1b",
                "s.t", "é", "a b", "a-b", "a;b", "a".repeat(63), "a".repeat(64), "s." + "b".repeat(63),
                "s." + "b".repeat(64), "x".repeat(63) + ".y"));
        String alphabet = "aZ_09.-;é \"";
        Random random = new Random(14);
        for (int i = 0; i < 20_000; i++) {
            StringBuilder sb = new StringBuilder();
            int n = random.nextInt(8);
            for (int j = 0; j < n; j++) {
                sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            names.add(sb.toString());
        }
        for (String name : names) {
            if (name.indexOf('"') < 0) {
                assertThat(accepted(name)).as("'" + name + "'").isEqualTo(RULE.matcher(name).matches());
            }
        }
    }
}
