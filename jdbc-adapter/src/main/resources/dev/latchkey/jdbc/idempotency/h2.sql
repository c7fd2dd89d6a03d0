-- Latchkey JDBC idempotency store: the table on H2 2.x.
-- Run as is for the default table name, or let JdbcIdempotencyStore.createTableIfNotExists()
-- run it with your table name (every "latchkey_idempotency" below is replaced; derived
-- constraint and index names keep their suffix).
--
-- A key is (scope, idem_key); "key" is avoided as a column name because H2 reserves it.
-- state: P = in progress (owner_token holds a lease until lease_expires_at),
--        C = completed (response_* is replayed), F = completed with a stored failure.
-- expires_at: from then on the record counts as absent; purged in batches through its index.
-- All times are the database's (CURRENT_TIMESTAMP), never the application's.
CREATE TABLE IF NOT EXISTS latchkey_idempotency (
    scope            VARCHAR(100)                NOT NULL,
    idem_key         VARCHAR(255)                NOT NULL,
    fingerprint      BINARY(32)                  NOT NULL,
    state            CHAR(1)                     NOT NULL,
    owner_token      VARCHAR(64)                 NOT NULL,
    attempt          INTEGER                     NOT NULL,
    claimed_at       TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    lease_expires_at TIMESTAMP(6) WITH TIME ZONE,
    expires_at       TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    completed_at     TIMESTAMP(6) WITH TIME ZONE,
    response_status  INTEGER,
    response_type    VARCHAR(100),
    response_body    VARBINARY(16777215),
    CONSTRAINT latchkey_idempotency_pk PRIMARY KEY (scope, idem_key),
    CONSTRAINT latchkey_idempotency_state CHECK (state IN ('P', 'C', 'F'))
);

CREATE INDEX IF NOT EXISTS latchkey_idempotency_expires ON latchkey_idempotency (expires_at);
