package dev.latchkey.jdbc.testing;

import java.sql.SQLException;

import com.zaxxer.hikari.SQLExceptionOverride;

/**
 * Tells Hikari to evict an H2 connection whose session is gone (aborted with
 * {@code ABORT_SESSION}, or its database closed): H2 reports that with codes Hikari does not
 * know (90067 connection broken, 90098 database closed, 90121 database already closed), and a
 * dead connection handed out again would fail the next test.
 */
public final class H2BrokenSessionOverride implements SQLExceptionOverride {

    /** Creates the override; Hikari instantiates it by class name. */
    public H2BrokenSessionOverride() {
    }

    @java.lang.Override
    public Override adjudicate(SQLException e) {
        for (SQLException s = e; s != null; s = s.getNextException()) {
            int code = s.getErrorCode();
            if (code == 90067 || code == 90098 || code == 90121) {
                return Override.MUST_EVICT;
            }
        }
        return Override.CONTINUE_EVICT;
    }
}
