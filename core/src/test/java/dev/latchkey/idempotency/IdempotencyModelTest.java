package dev.latchkey.idempotency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.latchkey.idempotency.spi.IdempotencyRecord;
import dev.latchkey.idempotency.spi.IdempotencyState;
import dev.latchkey.idempotency.spi.OwnerToken;
import org.junit.jupiter.api.Test;

class IdempotencyModelTest {

    @Test
    void keysAreValidatedWithErrorsThatNameThePartAndTheProblem() {
        assertThat(IdempotencyKey.of("POST /charges", "8e03978e-40d5-43e8-bc93-6894a57f9324").toString())
                .isEqualTo("POST /charges/8e03978e-40d5-43e8-bc93-6894a57f9324");
        assertThatThrownBy(() -> IdempotencyKey.of("", "k")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("idempotency scope must not be empty");
        assertThatThrownBy(() -> IdempotencyKey.of("s", "")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("idempotency key must not be empty");
        assertThatThrownBy(() -> IdempotencyKey.of("s", "x".repeat(256))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("idempotency key must be at most 255 characters: length=256");
        assertThatThrownBy(() -> IdempotencyKey.of("s".repeat(101), "k")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("idempotency scope must be at most 100 characters");
        assertThatThrownBy(() -> IdempotencyKey.of("s", "a\tb")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("idempotency key must be printable ASCII (0x20-0x7E): U+0009 at index 1, key='a\\u0009b'");
        assertThatThrownBy(() -> IdempotencyKey.of("s", "caf\u00e9")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("U+00E9 at index 3");
        assertThatThrownBy(() -> IdempotencyKey.of("s", "k ")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must not start or end with a space");
        assertThatThrownBy(() -> IdempotencyKey.of(" s", "k")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("idempotency scope must not start or end with a space");
        assertThatThrownBy(() -> IdempotencyKey.of(null, "k")).isInstanceOf(NullPointerException.class)
                .hasMessage("scope");
        assertThat(IdempotencyKey.of("s", "a b").key()).isEqualTo("a b");
    }

    @Test
    void fingerprintsAreSha256() {
        assertThat(Fingerprint.sha256("abc").hex())
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        Fingerprint f = Fingerprint.sha256(new byte[] {1, 2, 3});
        assertThat(Fingerprint.fromHex(f.hex())).isEqualTo(f);
        assertThat(Fingerprint.fromBytes(f.bytes())).isEqualTo(f).hasSameHashCodeAs(f);
        assertThat(f.matches(f.bytes())).isTrue();
        assertThat(f.toString()).startsWith("sha256:").hasSize(19);
        assertThatThrownBy(() -> Fingerprint.fromBytes(new byte[31])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("length=31");
        assertThatThrownBy(() -> Fingerprint.fromHex("zz" + "0".repeat(62))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theCanonicalFormIgnoresOrderAndNumberSpellingButNotTypesOrBoundaries() {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("amount", 100);
        a.put("currency", "EUR");
        a.put("items", List.of(Map.of("sku", "x", "qty", 2L), Map.of("sku", "y", "qty", 1)));
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("items", Arrays.asList(Map.of("qty", new BigDecimal("2.00"), "sku", "x"), Map.of("qty", 1.0, "sku", "y")));
        b.put("currency", "EUR");
        b.put("amount", BigInteger.valueOf(100));
        assertThat(Fingerprint.ofFields(a)).isEqualTo(Fingerprint.ofFields(b));

        assertThat(Fingerprint.ofFields(Map.of("a", "1"))).isNotEqualTo(Fingerprint.ofFields(Map.of("a", 1)));
        assertThat(Fingerprint.ofFields(Map.of("a", List.of("ab", "c"))))
                .isNotEqualTo(Fingerprint.ofFields(Map.of("a", List.of("a", "bc"))));
        assertThat(Fingerprint.ofFields(Map.of("ab", "c"))).isNotEqualTo(Fingerprint.ofFields(Map.of("a", "bc")));
        assertThat(Fingerprint.ofFields(Map.of("a", List.of(1, 2)))).isNotEqualTo(Fingerprint.ofFields(Map.of("a", List.of(2, 1))));
        Map<String, Object> withNull = new LinkedHashMap<>();
        withNull.put("a", null);
        assertThat(Fingerprint.ofFields(withNull)).isNotEqualTo(Fingerprint.ofFields(Map.of()));
        assertThat(Fingerprint.ofFields(Map.of("a", new Object[] {"x", null}))).isNotNull();
        assertThat(Fingerprint.ofFields(Map.of("a", true))).isNotEqualTo(Fingerprint.ofFields(Map.of("a", false)));
        assertThat(Fingerprint.ofFields(Map.of("a", new byte[] {1}))).isNotEqualTo(Fingerprint.ofFields(Map.of("a", "\u0001")));
        assertThat(Fingerprint.ofFields(Map.of("a", 0.0))).isEqualTo(Fingerprint.ofFields(Map.of("a", new BigDecimal("0.000"))));

        assertThatThrownBy(() -> Fingerprint.ofFields(Map.of("when", Instant.EPOCH)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("java.time.Instant at $.when");
        assertThatThrownBy(() -> Fingerprint.ofFields(Map.of("x", Map.of(1, "a"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("keys must be Strings");
        assertThatThrownBy(() -> Fingerprint.ofFields(Map.of("x", Double.NaN)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("non-finite");
    }

    @Test
    void hugeExponentsAreFingerprintedInBoundedTimeAndMemory() {
        // issue 12 item 9: toPlainString() of 1E+100000000 allocated ~950 MiB and took a second
        long start = System.nanoTime();
        Fingerprint big = Fingerprint.ofFields(Map.of("n", new BigDecimal("1E+100000000")));
        Fingerprint tiny = Fingerprint.ofFields(Map.of("n", new BigDecimal("1E-100000000")));
        assertThat(System.nanoTime() - start).as("nanoseconds").isLessThan(200_000_000L);
        assertThat(big).isNotEqualTo(tiny)
                .isEqualTo(Fingerprint.ofFields(Map.of("n", new BigDecimal("10.0E+99999999"))))
                .isNotEqualTo(Fingerprint.ofFields(Map.of("n", new BigDecimal("1E+99999999"))));
        // equal numbers stay equal, and ordinary numbers keep the fingerprint they always had
        assertThat(Fingerprint.ofFields(Map.of("n", 1))).isEqualTo(Fingerprint.ofFields(Map.of("n", new BigDecimal("1.0"))))
                .isEqualTo(Fingerprint.ofFields(Map.of("n", new BigDecimal("1.00"))))
                .isEqualTo(Fingerprint.ofFields(Map.of("n", new BigDecimal("0.1E+1"))));
        assertThat(Fingerprint.ofFields(Map.of("n", new BigDecimal("1E+3")))).isEqualTo(Fingerprint.ofFields(Map.of("n", 1000)));
        assertThat(Fingerprint.ofFields(Map.of("n", 1e300))).isEqualTo(Fingerprint.ofFields(Map.of("n", new BigDecimal("1E+300"))));
        // too many significant digits to canonicalise cheaply: refused, naming the path
        BigInteger longNumber = BigInteger.TEN.pow(5_000).add(BigInteger.ONE);
        assertThatThrownBy(() -> Fingerprint.ofFields(Map.of("n", longNumber)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("$.n")
                .hasMessageContaining(String.valueOf(Fingerprint.MAX_NUMBER_DIGITS));
    }

    @Test
    void fieldsNestUpToTheDocumentedDepth() {
        Object deepest = "leaf";
        for (int i = 0; i < Fingerprint.MAX_DEPTH; i++) {
            deepest = List.of(deepest);
        }
        Object fits = deepest;
        assertThat(Fingerprint.ofFields(Map.of("a", fits))).isNotNull();
        assertThatThrownBy(() -> Fingerprint.ofFields(Map.of("a", List.of(fits))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("deeper than " + Fingerprint.MAX_DEPTH);
        Map<String, Object> cycle = new java.util.HashMap<>();
        cycle.put("self", cycle);
        assertThatThrownBy(() -> Fingerprint.ofFields(cycle)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void storedResponsesAreValidatedAndImmutable() {
        byte[] body = {1, 2};
        StoredResponse r = StoredResponse.of(201, "application/json", body);
        body[0] = 9;
        assertThat(r.body()).containsExactly(1, 2);
        r.body()[1] = 9;
        assertThat(r.body()).containsExactly(1, 2);
        assertThat(r.isFailure()).isFalse();
        assertThat(r.asFailure().isFailure()).isTrue();
        assertThat(r.asFailure()).isNotEqualTo(r);
        assertThat(StoredResponse.restore(201, "application/json", new byte[] {1, 2}, false)).isEqualTo(r);
        assertThat(StoredResponse.restore(0, null, null, false).size()).isZero();
        assertThatThrownBy(() -> StoredResponse.of(1000, null, new byte[0])).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("status must be in [0, 999]: status=1000");
        assertThatThrownBy(() -> StoredResponse.of(-1, null, new byte[0])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StoredResponse.of(200, "x".repeat(101), new byte[0]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("contentType");
        assertThatThrownBy(() -> StoredResponse.of(200, "text/\u00e9", new byte[0]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("printable ASCII");
    }

    @Test
    void ownerTokensAreRandomAndValidated() {
        assertThat(OwnerToken.random()).isNotEqualTo(OwnerToken.random());
        assertThat(OwnerToken.random().value()).matches("[0-9a-f]{32}");
        assertThatThrownBy(() -> new OwnerToken("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new OwnerToken("a b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new OwnerToken("x".repeat(65))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void recordsCheckTheirInvariantsAndFingerprints() {
        IdempotencyKey key = IdempotencyKey.of("s", "k");
        Fingerprint fp = Fingerprint.sha256("a");
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        IdempotencyRecord r = new IdempotencyRecord(key, fp, IdempotencyState.IN_PROGRESS, new OwnerToken("o"), 1,
                t.plusSeconds(1), t.plusSeconds(10), null, t);
        assertThat(r.isLeaseLapsed()).isFalse();
        assertThat(r.isExpired()).isFalse();
        assertThat(r.requireFingerprint(fp)).isSameAs(r);
        assertThatThrownBy(() -> r.requireFingerprint(Fingerprint.sha256("b")))
                .isInstanceOf(IdempotencyKeyReusedException.class).hasMessageContaining("s/k");
        IdempotencyRecord later = new IdempotencyRecord(key, fp, IdempotencyState.IN_PROGRESS, new OwnerToken("o"), 1,
                t.plusSeconds(1), t.plusSeconds(10), null, t.plusSeconds(1));
        assertThat(later.isLeaseLapsed()).isTrue();
        assertThatThrownBy(() -> new IdempotencyRecord(key, fp, IdempotencyState.COMPLETED, new OwnerToken("o"), 1,
                null, t, null, t)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new IdempotencyRecord(key, fp, IdempotencyState.IN_PROGRESS, new OwnerToken("o"), 1,
                null, t, null, t)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new IdempotencyRecord(key, fp, IdempotencyState.IN_PROGRESS, new OwnerToken("o"), 0,
                t, t, null, t)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void policiesAreImmutableValuesWithCheckedSettings() {
        IdempotencyPolicy d = IdempotencyPolicy.defaults();
        assertThat(d.lease()).isEqualTo(Duration.ofSeconds(60));
        assertThat(d.retention()).isEqualTo(Duration.ofHours(24));
        assertThat(d.inProgressWait()).isNull();
        assertThat(d.failureCodec()).isNull();
        assertThat(d.maxResponseBytes()).isEqualTo(1 << 20);
        IdempotencyPolicy.Builder b = d.toBuilder().lease(Duration.ofSeconds(5));
        IdempotencyPolicy p1 = b.build();
        b.lease(Duration.ofSeconds(7));
        assertThat(p1.lease()).isEqualTo(Duration.ofSeconds(5));
        assertThat(IdempotencyPolicy.builder().waitWhenInProgress(Duration.ofSeconds(1)).build().inProgressWait())
                .isNotNull();
        assertThatThrownBy(() -> IdempotencyPolicy.builder().lease(Duration.ofHours(2)).retention(Duration.ofHours(1)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("retention must be >= lease");
        assertThatThrownBy(() -> IdempotencyPolicy.builder().lease(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> IdempotencyPolicy.builder().maxResponseBytes(-1))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("maxResponseBytes must be >= 0: maxResponseBytes=-1");
        IdempotencyKey key = IdempotencyKey.of("s", "k");
        IdempotencyPolicy storing = IdempotencyPolicy.builder().maxResponseBytes(4)
                .storeFailures((k, e) -> StoredResponse.ofText(500, null, e.getMessage())).build();
        assertThat(storing.encodeFailure(key, new IllegalStateException("ab")).isFailure()).isTrue();
        assertThatThrownBy(() -> storing.encodeFailure(key, new IllegalStateException("abcde")))
                .isInstanceOf(ResponseTooLargeException.class);
        assertThat(d.encodeFailure(key, new IllegalStateException("x"))).isNull();
        assertThatThrownBy(() -> d.decodeReplay(key, StoredResponse.failure(402, null, new byte[0]), ResponseCodec.identity()))
                .isInstanceOf(ReplayedFailureException.class).hasMessageContaining("status 402");
    }
}
