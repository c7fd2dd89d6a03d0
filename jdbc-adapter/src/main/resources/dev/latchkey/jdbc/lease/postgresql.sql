-- Latchkey JDBC leases: the table on PostgreSQL.
-- Run as is for the default table name, or let JdbcLeases.createTableIfNotExists() run it with
-- your table name (every "latchkey_lease" below is replaced; derived constraint names keep their
-- suffix).
--
-- One row per lease name, never deleted: token is the fencing token of the latest acquisition and
-- only ever grows. holder is the owner id of that acquisition (for operators). hold_until is
-- acquired_at + atLeastFor: a release sets expires_at to the later of now and hold_until.
-- All times are the database's (statement_timestamp()), never the application's.
--
-- latchkey_lease_token makes token a key column: a fenced transaction locks the row FOR KEY
-- SHARE, which blocks an acquisition (its upsert changes token, a key update) but not the
-- holder's renewals (they change expires_at only, a no-key update).
CREATE TABLE IF NOT EXISTS latchkey_lease (
    lease_name  VARCHAR(255) NOT NULL,
    token       BIGINT       NOT NULL,
    holder      VARCHAR(255) NOT NULL,
    acquired_at TIMESTAMPTZ  NOT NULL,
    hold_until  TIMESTAMPTZ  NOT NULL,
    expires_at  TIMESTAMPTZ  NOT NULL,
    CONSTRAINT latchkey_lease_pk PRIMARY KEY (lease_name),
    CONSTRAINT latchkey_lease_token UNIQUE (lease_name, token)
);
