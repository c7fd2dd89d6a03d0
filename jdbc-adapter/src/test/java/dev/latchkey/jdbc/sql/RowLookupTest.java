package dev.latchkey.jdbc.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

/** {@link Row} looks columns up by label, case-insensitively; of two equal labels the last wins. */
class RowLookupTest {

    @Test
    void looksUpCaseInsensitivelyAndTheLastOfEqualLabelsWins() {
        Row r = Row.of(List.of("ID", "stock", "Stock"), Arrays.asList(7L, 1, null));
        assertThat(r.get("id")).isEqualTo(7L);
        assertThat(r.has("STOCK")).isTrue();
        assertThat(r.get("stock")).isNull();
        assertThat(r.has("version")).isFalse();
        assertThatThrownBy(() -> r.get("version")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no column version");
        assertThat(r.columns()).containsExactly("ID", "stock", "Stock");
        assertThat(r.asMap()).containsOnlyKeys("ID", "stock", "Stock");
        assertThat(r.getLong("id")).isEqualTo(7L);
    }

    @Test
    void aRowDoesNotChangeWithTheListItWasMadeFrom() {
        List<Object> values = Arrays.asList(1L, 2L);
        Row r = Row.of(List.of("a", "b"), values);
        values.set(0, 99L);
        assertThat(r.get("a")).isEqualTo(1L);
    }
}
