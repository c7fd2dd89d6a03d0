/**
 * Latchkey JDBC: dialects, error translation, transactions with retry, atomic-update builders
 * and optimistic version checks, row-lock helpers, the JDBC idempotency store and leases with
 * fencing tokens.
 */
module dev.latchkey.jdbc {
    requires transitive dev.latchkey.core;
    requires transitive java.sql;
    requires static org.jetbrains.annotations;

    exports dev.latchkey.jdbc;
    exports dev.latchkey.jdbc.dialect;
    exports dev.latchkey.jdbc.error;
    exports dev.latchkey.jdbc.sql;
    exports dev.latchkey.jdbc.internal;
    exports dev.latchkey.jdbc.update;

    exports dev.latchkey.jdbc.lock;

    exports dev.latchkey.jdbc.idempotency;
    exports dev.latchkey.jdbc.lease;
}
