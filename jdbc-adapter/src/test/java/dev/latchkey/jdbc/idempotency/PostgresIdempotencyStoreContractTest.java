package dev.latchkey.jdbc.idempotency;

import dev.latchkey.jdbc.testing.DbKind;

/** The shared idempotency-store contract on POSTGRES. */
@ContractOn(DbKind.POSTGRES)
class PostgresIdempotencyStoreContractTest extends JdbcIdempotencyStoreContract {
}
