package dev.latchkey.jdbc.idempotency;

import dev.latchkey.jdbc.testing.DbKind;

/** The shared idempotency-store contract on H2. */
@ContractOn(DbKind.H2)
class H2IdempotencyStoreContractTest extends JdbcIdempotencyStoreContract {
}
