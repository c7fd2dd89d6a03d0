package dev.latchkey.jdbc.dialect;

import org.jetbrains.annotations.NotNull;

/** H2 (2.x), in its default mode. */
final class H2Dialect extends Dialect {

    H2Dialect(int majorVersion, int minorVersion) {
        super(majorVersion, minorVersion);
    }

    @Override
    public @NotNull DatabaseProduct product() {
        return DatabaseProduct.H2;
    }

    @Override
    String productName() {
        return "H2";
    }

    @Override
    String quote(String part) {
        // H2 folds unquoted names to upper case, so a quoted name must be upper case to denote
        // the same column (e.g. STATUS, reserved elsewhere but created unquoted here)
        return '"' + part.toUpperCase(java.util.Locale.ROOT) + '"';
    }

    @Override
    public @NotNull String currentTimestamp() {
        return "CURRENT_TIMESTAMP";
    }

    // ---- atomic updates and optimistic versions -------------------------------------------

    @Override
    public boolean supportsUpdateReturning() {
        return true;
    }

    @Override
    public @NotNull String updateReturning(@NotNull String update, @NotNull String columns) {
        return "SELECT " + columns + " FROM FINAL TABLE (" + update + ")";
    }

    @Override
    public @NotNull String nextTimestampVersion(@NotNull String column) {
        return "GREATEST(" + currentTimestamp() + ", DATEADD(MICROSECOND, 1, " + column + "))";
    }

    @Override
    public @NotNull String upsert(@NotNull String table, java.util.@NotNull List<String> keyColumns,
                                  java.util.@NotNull List<String> insertColumns, @NotNull String assignments) {
        StringBuilder on = new StringBuilder();
        for (String k : keyColumns) {
            on.append(on.length() == 0 ? "" : " AND ").append("t.").append(k).append(" = s.").append(k);
        }
        StringBuilder values = new StringBuilder();
        for (String c : insertColumns) {
            values.append(values.length() == 0 ? "" : ", ").append("s.").append(c);
        }
        return "MERGE INTO " + table + " AS t USING (VALUES ("
                + String.join(", ", java.util.Collections.nCopies(insertColumns.size(), "?")) + ")) AS s ("
                + String.join(", ", insertColumns) + ") ON " + on + " WHEN MATCHED THEN UPDATE SET " + assignments
                + " WHEN NOT MATCHED THEN INSERT (" + String.join(", ", insertColumns) + ") VALUES (" + values + ")";
    }

    @Override
    public @NotNull String upsertExisting(@NotNull String column) {
        return "t." + column;
    }

    @Override
    public @NotNull String upsertProposed(@NotNull String column) {
        return "s." + column;
    }

    @Override
    public boolean supportsUpsertReturning() {
        return true;
    }

    @Override
    public @NotNull String upsertReturning(@NotNull String upsert, @NotNull String columns) {
        return "SELECT " + columns + " FROM FINAL TABLE (" + upsert + ")";
    }

    @Override
    public boolean upsertMayRaceOnInsert() {
        return true;
    }

    // ---- row locks ------------------------------------------------------------------------

    @Override
    public boolean supportsForShare() {
        return false;
    }

    /** {@code NOWAIT}, {@code SKIP LOCKED} and {@code WAIT n} arrived in H2 2.2. */
    @Override
    public boolean supportsNowait() {
        return versionAtLeast(2, 2);
    }

    @Override
    public boolean supportsSkipLocked() {
        return versionAtLeast(2, 2);
    }

    @Override
    public boolean supportsLockTimeout() {
        return versionAtLeast(2, 2);
    }

    @Override
    public @NotNull java.time.Duration lockTimeoutResolution() {
        return java.time.Duration.ofMillis(1);
    }

    /** H2 has no named locks; a lock table would be a different feature, so none is faked. */
    @Override
    public boolean supportsAdvisoryLocks() {
        return false;
    }

    /** {@code FOR UPDATE WAIT 0.300}: H2 takes the wait in decimal seconds. */
    @Override
    String statementTimeoutSuffix(long millis) {
        return " WAIT " + decimalSeconds(millis);
    }
}
