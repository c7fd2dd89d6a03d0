package dev.latchkey.spring.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The header's syntax (RFC 8941 sf-string, and bare keys when allowed) and the HTTP policy's argument checks. */
class IdempotencyKeyHeaderTest {

    @Test
    void parsesTheDraftsQuotedStringWithItsEscapesAndParameters() {
        assertThat(IdempotencyKeyHeader.parse("\"8e03978e-40d5-43e8-bc93-6894a57f9324\"", false))
                .isEqualTo("8e03978e-40d5-43e8-bc93-6894a57f9324");
        assertThat(IdempotencyKeyHeader.parse("\"a\\\"b\\\\c\"", false)).isEqualTo("a\"b\\c");
        assertThat(IdempotencyKeyHeader.parse("  \"in side\" ", false)).isEqualTo("in side");
        assertThat(IdempotencyKeyHeader.parse("\"k\";v=1;w", false)).isEqualTo("k");
    }

    @Test
    void bareKeysAreTheSameKeyWhenAccepted() {
        assertThat(IdempotencyKeyHeader.parse("8e03978e-40d5", true))
                .isEqualTo(IdempotencyKeyHeader.parse("\"8e03978e-40d5\"", true));
        assertThatThrownBy(() -> IdempotencyKeyHeader.parse("8e03978e-40d5", false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("quoted string");
    }

    @Test
    void refusesMalformedValuesSayingWhy() {
        List<List<String>> cases = List.of(
                List.of("", "empty"), List.of("\"\"", "empty"), List.of("\"abc", "not terminated"),
                List.of("\"a\\nb\"", "bad escape"), List.of("\"\u00e9\"", "printable ASCII"),
                List.of("\"a\" \"b\"", "after its string"), List.of("\"a\",\"b\"", "after its string"),
                List.of("\"a\";x=,", "parameters"), List.of("a b", "U+0020"), List.of("a,b", "U+002C"),
                List.of("\" a\"", "start or end with a space"), List.of("\"a \"", "start or end with a space"),
                List.of("\"a\tb\"", "printable ASCII"));
        for (List<String> c : cases) {
            assertThatThrownBy(() -> IdempotencyKeyHeader.parse(c.get(0), true)).as(c.get(0))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(c.get(1));
        }
        assertThatThrownBy(() -> IdempotencyKeyHeader.parse(null, true)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void policyChecksItsArgumentsNamingThem() {
        assertThatThrownBy(() -> HttpIdempotencyPolicy.builder().maxKeyLength(0))
                .hasMessageContaining("maxKeyLength=0");
        assertThatThrownBy(() -> HttpIdempotencyPolicy.builder().maxKeyLength(HttpIdempotencyPolicy.MAX_KEY_LENGTH + 1))
                .hasMessageContaining("maxKeyLength=" + (HttpIdempotencyPolicy.MAX_KEY_LENGTH + 1));
        assertThatThrownBy(() -> HttpIdempotencyPolicy.builder().maxRequestBytes(-1))
                .hasMessageContaining("maxRequestBytes=-1");
        assertThatThrownBy(() -> HttpIdempotencyPolicy.builder().retryAfter(Duration.ofMillis(1500)))
                .hasMessageContaining("retryAfter=PT1.5S");
        assertThatThrownBy(() -> HttpIdempotencyPolicy.builder().replayHeader("Bad Header"))
                .hasMessageContaining("header='Bad Header'");
        HttpIdempotencyPolicy p = HttpIdempotencyPolicy.builder().replayHeader("X-Request-Id")
                .storeStatuses(s -> s == 201).build();
        assertThat(p.replays("x-request-id")).isTrue();
        assertThat(p.replays("location")).isTrue();
        assertThat(p.replays("Set-Cookie")).isFalse();
        assertThat(p.stores(201)).isTrue();
        assertThat(p.stores(200)).isFalse();
        assertThat(HttpIdempotencyPolicy.defaults().stores(404)).isTrue();
        assertThat(HttpIdempotencyPolicy.defaults().stores(500)).isFalse();
    }
}
