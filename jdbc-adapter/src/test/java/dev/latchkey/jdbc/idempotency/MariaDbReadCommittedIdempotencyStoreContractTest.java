package dev.latchkey.jdbc.idempotency;

import dev.latchkey.jdbc.Isolation;
import dev.latchkey.jdbc.testing.DbKind;

/** The shared idempotency-store contract on MariaDB with the store's connections at READ COMMITTED. */
@ContractOn(value = DbKind.MARIADB, isolation = Isolation.READ_COMMITTED, suffix = "rc")
class MariaDbReadCommittedIdempotencyStoreContractTest extends JdbcIdempotencyStoreContract {
}
