-- Latchkey JDBC leases: the table on H2 2.x.
-- Run as is for the default table name, or let JdbcLeases.createTableIfNotExists() run it with
-- your table name (every "latchkey_lease" below is replaced; derived constraint names keep their
-- suffix).
--
-- One row per lease name, never deleted: token is the fencing token of the latest acquisition and
-- only ever grows. holder is the owner id of that acquisition (for operators). hold_until is
-- acquired_at + atLeastFor: a release sets expires_at to the later of now and hold_until.
-- All times are the database's (CURRENT_TIMESTAMP), never the application's.
CREATE TABLE IF NOT EXISTS latchkey_lease (
    lease_name  VARCHAR(255)                NOT NULL,
    token       BIGINT                      NOT NULL,
    holder      VARCHAR(255)                NOT NULL,
    acquired_at TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    hold_until  TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    expires_at  TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    CONSTRAINT latchkey_lease_pk PRIMARY KEY (lease_name)
);
