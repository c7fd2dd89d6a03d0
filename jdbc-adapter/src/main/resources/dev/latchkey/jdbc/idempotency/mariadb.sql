-- Latchkey JDBC idempotency store: the table on MariaDB 10.5+.
-- Run as is for the default table name, or let JdbcIdempotencyStore.createTableIfNotExists()
-- run it with your table name (every "latchkey_idempotency" below is replaced; derived
-- constraint and index names keep their suffix).
--
-- A key is (scope, idem_key); "key" is avoided as a column name because MariaDB reserves it.
-- Keys, tokens and types are ASCII with a binary collation: keys compare byte for byte, never
-- case-insensitively (Latchkey refuses trailing spaces, which PAD SPACE collations ignore).
-- state: P = in progress (owner_token holds a lease until lease_expires_at),
--        C = completed (response_* is replayed), F = completed with a stored failure.
-- expires_at: from then on the record counts as absent; purged in batches through its index.
-- Times are UTC in DATETIME(6), from UTC_TIMESTAMP(6): the database decides, whatever the
-- session time zone.
CREATE TABLE IF NOT EXISTS latchkey_idempotency (
    scope            VARCHAR(100) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    idem_key         VARCHAR(255) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    fingerprint      BINARY(32)   NOT NULL,
    state            CHAR(1)      CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    owner_token      VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    attempt          INT          NOT NULL,
    claimed_at       DATETIME(6)  NOT NULL,
    lease_expires_at DATETIME(6)  NULL,
    expires_at       DATETIME(6)  NOT NULL,
    completed_at     DATETIME(6)  NULL,
    response_status  INT          NULL,
    response_type    VARCHAR(100) CHARACTER SET ascii COLLATE ascii_bin NULL,
    response_body    MEDIUMBLOB   NULL,
    PRIMARY KEY (scope, idem_key),
    KEY latchkey_idempotency_expires (expires_at),
    CONSTRAINT latchkey_idempotency_state CHECK (state IN ('P', 'C', 'F'))
) ENGINE = InnoDB;
