package dev.latchkey.bench.stub;

import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Locale;
import java.util.Properties;
import java.util.logging.Logger;

/**
 * A JDBC driver that does no I/O, as HikariCP measures its own overhead: its connections answer
 * every statement with a canned {@link Answer} from a {@link Script}, so a benchmark on it
 * measures only the Java work on the caller's side of the driver. URLs:
 * {@code jdbc:latchkey-stub:postgresql} and {@code jdbc:latchkey-stub:mariadb}. Not registered
 * with {@code DriverManager}: benchmarks use {@link StubDataSource}.
 */
public final class StubDriver implements Driver {
    /** The URL prefix this driver accepts. */
    public static final String PREFIX = "jdbc:latchkey-stub:";

    private final Script script;

    /**
     * A driver whose connections answer with a script.
     *
     * @param script the script of every connection it opens
     */
    public StubDriver(Script script) {
        this.script = script;
    }

    @Override
    public StubConnection connect(String url, Properties info) throws SQLException {
        if (!acceptsURL(url)) {
            return null;
        }
        return new StubConnection(StubProduct.named(url.substring(PREFIX.length())), script);
    }

    @Override
    public boolean acceptsURL(String url) {
        return url != null && url.toLowerCase(Locale.ROOT).startsWith(PREFIX);
    }

    @Override
    public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) {
        return new DriverPropertyInfo[0];
    }

    @Override
    public int getMajorVersion() {
        return 1;
    }

    @Override
    public int getMinorVersion() {
        return 0;
    }

    @Override
    public boolean jdbcCompliant() {
        return false;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException("no java.util.logging in the stub driver");
    }

    /**
     * Opens a connection claiming to be a product.
     *
     * @param product the product
     * @return the connection
     */
    public StubConnection connect(StubProduct product) {
        return new StubConnection(product, script);
    }

    @Override
    public String toString() {
        return "StubDriver";
    }

}
