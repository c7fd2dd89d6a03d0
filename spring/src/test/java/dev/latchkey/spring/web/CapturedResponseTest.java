package dev.latchkey.spring.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import dev.latchkey.idempotency.ResponseCodec;
import dev.latchkey.idempotency.StoredResponse;
import org.junit.jupiter.api.Test;

/** The stored envelope: what a replay gets back, and what it leaves out. */
class CapturedResponseTest {
    private final ResponseCodec<CapturedResponse> codec = CapturedResponse.codec(HttpIdempotencyPolicy.defaults());

    @Test
    void keepsStatusContentTypeAllowListedHeadersAndBodyOnly() {
        CapturedResponse r = new CapturedResponse(201, "application/json;charset=UTF-8",
                Map.of("Location", List.of("/orders/1"), "Set-Cookie", List.of("s=1"), "X-Trace", List.of("t")),
                List.of(), "{\"id\":1}".getBytes(StandardCharsets.UTF_8), false, null);
        StoredResponse stored = codec.encode(r);
        assertThat(stored.status()).isEqualTo(201);
        assertThat(stored.contentType()).isEqualTo("application/json;charset=UTF-8");
        CapturedResponse back = codec.decode(StoredResponse.restore(stored.status(), stored.contentType(),
                stored.body(), false));
        assertThat(back.status()).isEqualTo(201);
        assertThat(back.contentType()).isEqualTo("application/json;charset=UTF-8");
        assertThat(back.headers()).isEqualTo(Map.of("Location", List.of("/orders/1")));
        assertThat(new String(back.body(), StandardCharsets.UTF_8)).isEqualTo("{\"id\":1}");
        assertThat(back.error()).isFalse();
    }

    @Test
    void keepsASendErrorAndItsMessageAndALongContentType() {
        String longType = "text/plain;" + "x=1;".repeat(40);
        CapturedResponse r = new CapturedResponse(410, longType, Map.of(), List.of(), new byte[0], true, "gone \u00e9");
        StoredResponse stored = codec.encode(r);
        assertThat(stored.contentType()).as("too long for the column; kept in the envelope").isNull();
        CapturedResponse back = codec.decode(stored);
        assertThat(back.error()).isTrue();
        assertThat(back.errorMessage()).isEqualTo("gone \u00e9");
        assertThat(back.contentType()).isEqualTo(longType);
    }

    @Test
    void aResponseStoredByOtherCodeReplaysAsItIs() {
        CapturedResponse back = codec.decode(StoredResponse.ofText(200, "text/plain", "hello"));
        assertThat(back.status()).isEqualTo(200);
        assertThat(back.contentType()).isEqualTo("text/plain");
        assertThat(new String(back.body(), StandardCharsets.UTF_8)).isEqualTo("hello");
        assertThat(back.headers()).isEmpty();
    }
}
