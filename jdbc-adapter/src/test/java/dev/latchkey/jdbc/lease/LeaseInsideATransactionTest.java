package dev.latchkey.jdbc.lease;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;

import com.zaxxer.hikari.HikariDataSource;
import dev.latchkey.jdbc.Latchkey;
import dev.latchkey.jdbc.testing.DatabaseTest;
import dev.latchkey.jdbc.testing.TestDatabase;

/**
 * Releasing or extending a lease from inside a transaction on the same data source: each
 * commits on its own, so it is refused at once with a message saying why, and the lease stays
 * held, locally and in the table. On a pool of one connection (the transaction holds it) a second
 * connection could never come: without the refusal the call would wait for the pool's timeout.
 */
class LeaseInsideATransactionTest {
    private static final Duration TEN_S = Duration.ofSeconds(10);
    private static final Duration PROMPTLY = Duration.ofSeconds(20);

    @DatabaseTest
    void releaseAndExtendInsideAFencedTransactionAreRefusedAndTheLeaseStaysHeld(TestDatabase db) {
        String table = db.uniqueName("lease");
        db.dropAfterTest(table);
        try (HikariDataSource poolOfOne = db.server().newPool(1)) {
            Latchkey latchkey = Latchkey.builder(poolOfOne).dialect(db.latchkey().dialect()).build();
            JdbcLeases leases = latchkey.leases().withTable(table);
            leases.createTableIfNotExists();
            JdbcLease lease = leases.lease("job").tryAcquire(TEN_S).orElseThrow();
            long token = lease.fencingToken();

            assertTimeoutPreemptively(PROMPTLY, () -> {
                assertThatThrownBy(() -> lease.runFenced(tx -> lease.release()))
                        .isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("release of lease job").hasMessageContaining("outside transactions");
                assertThatThrownBy(() -> lease.runFenced(tx -> {
                    lease.extend(TEN_S);
                    return null;
                })).isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("extension of lease job").hasMessageContaining("outside transactions");
                assertThatThrownBy(() -> latchkey.transactions().run(tx -> lease.release()))
                        .isInstanceOf(IllegalStateException.class);
            });

            assertThat(lease.isHeld()).as("the refused release left the lease held").isTrue();
            assertThat(lease.fencingToken()).isEqualTo(token);
            String fenced = lease.runFenced(tx -> "still fenced");
            assertThat(fenced).isEqualTo("still fenced");
            assertThat(leases.lease("job").tryAcquire(TEN_S)).as("the table still says held").isEmpty();

            lease.extend(TEN_S);
            assertThat(lease.release()).isTrue();
            assertThat(lease.isHeld()).isFalse();
            assertThat(leases.lease("job").tryAcquire(TEN_S)).as("released for real now").isPresent();
        }
    }
}
