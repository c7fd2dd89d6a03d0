package dev.latchkey.jdbc.idempotency;

import dev.latchkey.jdbc.Isolation;
import dev.latchkey.jdbc.testing.DbKind;

/** The shared idempotency-store contract on MariaDB with the store's connections at REPEATABLE READ. */
@ContractOn(value = DbKind.MARIADB, isolation = Isolation.REPEATABLE_READ, suffix = "rr")
class MariaDbRepeatableReadIdempotencyStoreContractTest extends JdbcIdempotencyStoreContract {
}
