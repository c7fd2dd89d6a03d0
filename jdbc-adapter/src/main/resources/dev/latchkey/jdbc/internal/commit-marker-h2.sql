-- Latchkey JDBC verified commits: the commit-marker table on H2 2.x.
-- Run as is for the default table name, or let Transactions.createCommitMarkerTableIfNotExists()
-- run it with your table name (every "latchkey_commit_marker" below is replaced; derived
-- constraint and index names keep their suffix).
--
-- A transaction of a runner with verified commits inserts one row here just before COMMIT, with
-- a random id. When the connection is lost during COMMIT, the runner looks for that id on a new
-- connection: present means committed; absent once the lost session has ended means rolled back.
-- Rows are needed only until that check is over: purge them with Transactions.purgeCommitMarkers.
-- created_at is the database's CURRENT_TIMESTAMP.
CREATE TABLE IF NOT EXISTS latchkey_commit_marker (
    id         CHAR(36)                    NOT NULL,
    created_at TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    CONSTRAINT latchkey_commit_marker_pk PRIMARY KEY (id)
);

CREATE INDEX IF NOT EXISTS latchkey_commit_marker_created ON latchkey_commit_marker (created_at);
