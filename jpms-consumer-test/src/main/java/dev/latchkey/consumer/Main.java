package dev.latchkey.consumer;

import java.util.List;

import dev.latchkey.ConcurrencyException;
import dev.latchkey.jdbc.Latchkey;
import dev.latchkey.jdbc.dialect.DatabaseProduct;
import dev.latchkey.retry.RetryPolicy;

/**
 * Uses a type from each exported layer a user touches (core's root and retry packages, jdbc's
 * top and dialect packages) and checks it runs as a named module, without the annotations.
 */
public final class Main {
    private Main() {
    }

    /**
     * Runs the checks; exits non-zero on the first that fails.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        check("dev.latchkey.jdbc".equals(Latchkey.class.getModule().getName()),
                "Latchkey is not loaded from the named module dev.latchkey.jdbc: " + Latchkey.class.getModule());
        check("dev.latchkey.core".equals(RetryPolicy.class.getModule().getName()),
                "RetryPolicy is not loaded from the named module dev.latchkey.core: " + RetryPolicy.class.getModule());
        check(ModuleLayer.boot().findModule("org.jetbrains.annotations").isEmpty(),
                "org.jetbrains.annotations is on the module path; this test must run without it");

        String result = RetryPolicy.none().execute(attempt -> "attempt " + attempt);
        check("attempt 1".equals(result), "RetryPolicy.none() ran: " + result);
        check(DatabaseProduct.fromProductName("PostgreSQL") == DatabaseProduct.POSTGRESQL,
                "DatabaseProduct.fromProductName(\"PostgreSQL\")");
        check(RuntimeException.class.isAssignableFrom(ConcurrencyException.class),
                "ConcurrencyException is unchecked");
        // every public method's signature resolves: none of them needs the annotations at run time
        check(Latchkey.class.getMethods().length > 0, "Latchkey has public methods");

        System.out.println("JPMS consumer OK: " + List.of(Latchkey.class.getModule(), RetryPolicy.class.getModule())
                + " on the module path, org.jetbrains.annotations absent");
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            System.err.println("JPMS consumer FAILED: " + what);
            System.exit(1);
        }
    }
}
