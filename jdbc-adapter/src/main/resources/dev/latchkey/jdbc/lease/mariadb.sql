-- Latchkey JDBC leases: the table on MariaDB 10.5+.
-- Run as is for the default table name, or let JdbcLeases.createTableIfNotExists() run it with
-- your table name (every "latchkey_lease" below is replaced).
--
-- One row per lease name, never deleted: token is the fencing token of the latest acquisition and
-- only ever grows. holder is the owner id of that acquisition (for operators); attempt_id is a
-- random id per acquisition attempt, which tells an acquisition apart from an unchanged row in
-- what INSERT .. ON DUPLICATE KEY UPDATE .. RETURNING returns. hold_until is acquired_at +
-- atLeastFor: a release sets expires_at to the later of now and hold_until.
-- Names compare byte for byte (binary collation). Times are UTC in DATETIME(6), from
-- UTC_TIMESTAMP(6): the database decides, whatever the session time zone.
CREATE TABLE IF NOT EXISTS latchkey_lease (
    lease_name  VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
    token       BIGINT       NOT NULL,
    holder      VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
    attempt_id  CHAR(36)     CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    acquired_at DATETIME(6)  NOT NULL,
    hold_until  DATETIME(6)  NOT NULL,
    expires_at  DATETIME(6)  NOT NULL,
    PRIMARY KEY (lease_name)
) ENGINE = InnoDB;
