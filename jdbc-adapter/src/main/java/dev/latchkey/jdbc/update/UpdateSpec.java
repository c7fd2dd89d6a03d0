package dev.latchkey.jdbc.update;

import java.util.List;

import dev.latchkey.jdbc.sql.Condition;
import org.jetbrains.annotations.Nullable;

/**
 * What an {@link Update} builder has been told so far: one immutable value, so each builder step
 * is one wither instead of a constructor call that repeats every field.
 *
 * @param table the table, validated
 * @param sets the {@code SET} assignments, in the order given
 * @param key the key columns
 * @param guards the conditions the row must satisfy
 * @param returning the columns asked for
 * @param version how the row's version is declared, checked and bumped
 */
record UpdateSpec(String table, List<Assignment> sets, List<KeyColumn> key, List<Condition> guards,
                  List<String> returning, Version version) {

    private static final Version UNVERSIONED = new Version(null, false, null, false);

    static UpdateSpec of(String table) {
        return new UpdateSpec(table, List.of(), List.of(), List.of(), List.of(), UNVERSIONED);
    }

    UpdateSpec withSets(List<Assignment> s) {
        return new UpdateSpec(table, s, key, guards, returning, version);
    }

    UpdateSpec withKey(List<KeyColumn> k) {
        return new UpdateSpec(table, sets, k, guards, returning, version);
    }

    UpdateSpec withGuards(List<Condition> g) {
        return new UpdateSpec(table, sets, key, g, returning, version);
    }

    UpdateSpec withReturning(List<String> r) {
        return new UpdateSpec(table, sets, key, guards, r, version);
    }

    UpdateSpec withVersion(Version v) {
        return new UpdateSpec(table, sets, key, guards, returning, v);
    }

    @Nullable String versionColumn() {
        return version.column();
    }

    boolean timestampVersion() {
        return version.timestamp();
    }

    @Nullable Object expectedVersion() {
        return version.expected();
    }

    boolean forceIncrement() {
        return version.forceIncrement();
    }

    boolean isVersioned() {
        return version.column() != null || version.expected() != null || version.forceIncrement();
    }

    String effectiveVersionColumn() {
        return version.column() == null ? "version" : version.column();
    }

    /**
     * The optimistic version part of an update.
     *
     * @param column the declared version column, or {@code null} for the default {@code version}
     * @param timestamp whether the version column is a timestamp
     * @param expected the version the row must be at, or {@code null}
     * @param forceIncrement whether the version is bumped even when nothing else is set
     */
    record Version(@Nullable String column, boolean timestamp, @Nullable Object expected, boolean forceIncrement) {
        Version declared(String c, boolean ts) {
            return new Version(c, ts, expected, forceIncrement);
        }

        Version expecting(Object e) {
            return new Version(column, timestamp, e, forceIncrement);
        }

        Version forcingIncrement() {
            return new Version(column, timestamp, expected, true);
        }
    }
}
