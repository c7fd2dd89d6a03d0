package dev.latchkey.jdbc.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.TestTemplate;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs the annotated test method once per database: embedded PostgreSQL, external PostgreSQL,
 * MariaDB and H2 (or the subset named in {@link #value()}). The method takes a
 * {@link TestDatabase} parameter. A database that is not reachable is reported as skipped with
 * the reason; when the environment has {@code CI=true} it is a failure instead.
 *
 * <p>Set {@code LATCHKEY_DATABASES=h2,embedded-postgres} (ids of {@link DbKind}) to restrict a
 * local run; it is ignored in CI.
 */
@Target({ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@TestTemplate
@ExtendWith(DatabaseExtension.class)
public @interface DatabaseTest {
    /**
     * The databases to run on; empty means all.
     *
     * @return the databases
     */
    DbKind[] value() default {};
}
