package dev.latchkey.jdbc.idempotency;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import dev.latchkey.jdbc.Isolation;
import dev.latchkey.jdbc.testing.DbKind;

/** The database (and the isolation level of the store's connections) a contract subclass runs on. */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@interface ContractOn {
    /** @return the database */
    DbKind value();

    /** @return the isolation level of the store's pooled connections; DEFAULT keeps the shared pool */
    Isolation isolation() default Isolation.DEFAULT;

    /** @return the suffix of the database id in test names, e.g. {@code "rc"} for {@code [mariadb-rc]} */
    String suffix() default "";
}
