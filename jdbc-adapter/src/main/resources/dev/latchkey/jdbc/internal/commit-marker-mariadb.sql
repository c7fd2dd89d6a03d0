-- Latchkey JDBC verified commits: the commit-marker table on MariaDB 10.5+ (and MySQL 8).
-- Run as is for the default table name, or let Transactions.createCommitMarkerTableIfNotExists()
-- run it with your table name (every "latchkey_commit_marker" below is replaced; the index keeps
-- its suffix).
--
-- A transaction of a runner with verified commits inserts one row here just before COMMIT, with
-- a random id. When the connection is lost during COMMIT, the runner looks for that id on a new
-- connection: present means committed; absent once the lost session has ended means rolled back.
-- Rows are needed only until that check is over: purge them with Transactions.purgeCommitMarkers.
-- created_at is UTC, from UTC_TIMESTAMP(6): the database decides, whatever the session time zone.
CREATE TABLE IF NOT EXISTS latchkey_commit_marker (
    id         CHAR(36)    CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    created_at DATETIME(6) NOT NULL,
    PRIMARY KEY (id),
    KEY latchkey_commit_marker_created (created_at)
) ENGINE = InnoDB;
