package dev.latchkey.jdbc.update;

import java.util.List;

import dev.latchkey.jdbc.dialect.DatabaseProduct;
import dev.latchkey.jdbc.dialect.Dialect;

/**
 * MariaDB and MySQL: no {@code UPDATE ... RETURNING}, left-to-right {@code SET},
 * {@code INSERT ... ON DUPLICATE KEY UPDATE} (with {@code RETURNING} on MariaDB 10.5+). An
 * assignment's {@code VALUES(col)} is MariaDB's form; MySQL 8.0.20+ deprecates it (a warning) in
 * favour of a row alias.
 */
final class MySqlUpdateSql extends UpdateSql {

    MySqlUpdateSql(Dialect dialect) {
        super(dialect, Returning.NONE, insertReturning(dialect), "%s", "VALUES(%s)",
                "%s + INTERVAL 1 MICROSECOND");
    }

    private static Returning insertReturning(Dialect dialect) {
        boolean has = dialect.product() == DatabaseProduct.MARIADB && dialect.versionAtLeast(10, 5);
        return has ? Returning.CLAUSE : Returning.NONE;
    }

    @Override
    boolean assignsSequentially() {
        return true;
    }

    @Override
    String latestRowReadSuffix() {
        return " LOCK IN SHARE MODE";
    }

    @Override
    String upsert(String table, List<String> keyColumns, List<String> insertColumns, String assignments) {
        return "INSERT INTO " + table + " (" + String.join(", ", insertColumns) + ") VALUES ("
                + placeholders(insertColumns) + ") ON DUPLICATE KEY UPDATE " + assignments;
    }
}
