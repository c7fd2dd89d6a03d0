package dev.latchkey.spring;

import static dev.latchkey.jdbc.update.Expressions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.jdbc.Latchkey;
import dev.latchkey.jdbc.testing.DatabaseTest;
import dev.latchkey.jdbc.testing.TestDatabase;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;

/** The join scenarios with jOOQ: its own transactions bound to Latchkey, and jOOQ inside Latchkey's run. */
class JooqJoinTest {

    private static SQLDialect dialect(TestDatabase db) {
        switch (db.kind()) {
            case MARIADB:
                return SQLDialect.MARIADB;
            case H2:
                return SQLDialect.H2;
            default:
                return SQLDialect.POSTGRES;
        }
    }

    @DatabaseTest
    @SuppressWarnings("try") // the binding is used by being open
    void latchkeyJoinsAJooqTransactionThroughBind(TestDatabase db) {
        String product = db.table("product", "id BIGINT PRIMARY KEY, stock INT NOT NULL");
        db.execute("INSERT INTO " + product + " (id, stock) VALUES (1, 100)");
        Latchkey latchkey = LatchkeySpring.latchkey(db.dataSource());
        DSLContext jooq = DSL.using(db.dataSource(), dialect(db));
        assertThatThrownBy(() -> jooq.transaction(cfg -> cfg.dsl().connection(c -> {
            try (var bound = latchkey.bind(c)) {
                latchkey.update(product).set("stock", col("stock").minus(1)).whereId(1).execute();
                latchkey.transactions().run(tx -> latchkey.update(product).set("stock", col("stock").minus(1))
                        .whereId(1).execute());
            }
            throw new IllegalStateException("jOOQ transaction fails");
        }))).hasMessageContaining("jOOQ transaction fails");
        assertThat(db.queryLong("SELECT stock FROM " + product + " WHERE id = 1")).isEqualTo(100);
    }

    @DatabaseTest
    void jooqInsideLatchkeysRunJoinsIt(TestDatabase db) {
        String orders = db.table("orders", "id BIGINT PRIMARY KEY");
        Latchkey latchkey = LatchkeySpring.latchkey(db.dataSource());
        DSLContext jooq = DSL.using(latchkey.transactionAwareDataSource(), dialect(db));
        assertThatThrownBy(() -> latchkey.transactions().run(tx -> {
            jooq.execute("INSERT INTO " + orders + " (id) VALUES (1)");
            throw new IllegalStateException("run fails");
        })).hasMessage("run fails");
        assertThat(db.queryLong("SELECT COUNT(*) FROM " + orders)).isZero();
    }
}
