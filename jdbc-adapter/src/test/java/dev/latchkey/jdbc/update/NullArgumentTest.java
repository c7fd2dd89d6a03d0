package dev.latchkey.jdbc.update;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.sql.Connection;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.stream.Stream;

import dev.latchkey.idempotency.Fingerprint;
import dev.latchkey.idempotency.IdempotencyKey;
import dev.latchkey.idempotency.IdempotencyPolicy;
import dev.latchkey.idempotency.ResponseCodec;
import dev.latchkey.idempotency.StoredResponse;
import dev.latchkey.jdbc.Latchkey;
import dev.latchkey.jdbc.idempotency.JdbcIdempotencyStore;
import dev.latchkey.jdbc.idempotency.TransactionalIdempotency;
import dev.latchkey.jdbc.lock.AdvisoryLock;
import dev.latchkey.jdbc.lock.RowLockQuery;
import dev.latchkey.jdbc.sql.Condition;
import dev.latchkey.jdbc.sql.SqlWork;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every public builder method of the update, lock and idempotency APIs, given a {@code null}
 * where it needs a value (the argument itself, an array, a collection, or an element of one),
 * fails at once with an exception that names the parameter, never with a JDK
 * {@code NullPointerException} from deep inside. The rule (the one the builders already followed):
 * a missing object, array or collection is a {@link NullPointerException} whose message is the
 * parameter's name ({@code Objects.requireNonNull(x, "x")}); a {@code null} name, value or element
 * is an {@link IllegalArgumentException} whose message names the parameter.
 */
class NullArgumentTest {
    private static final Latchkey H2 = Dialects.H2;
    private static final Latchkey PG = Dialects.POSTGRES;
    private static final Connection NO_CONNECTION = null;

    static Stream<Arguments> nullArguments() {
        Update update = H2.update("account").set("balance", 1);
        RowLockQuery lock = H2.lock("product");
        Upsert upsert = H2.upsert("counter");
        ReadModifyWrite rmw = update.whereId(1).modify(row -> java.util.Map.of());
        AdvisoryLock advisory = PG.advisoryLock("report");
        JdbcIdempotencyStore store = H2.idempotencyStore();
        TransactionalIdempotency tx = store.transactional(IdempotencyPolicy.defaults());
        IdempotencyKey key = IdempotencyKey.of("s", "k");
        Fingerprint fp = Fingerprint.sha256("r");
        SqlWork<StoredResponse> work = c -> StoredResponse.of(new byte[0]);
        Duration d = Duration.ofMinutes(1);
        NPE npe = new NPE();
        IAE iae = new IAE();
        return Stream.of(
                // the six of issue 12 item 5
                npe.of("Update.returning((String[]) null)", "columns", () -> update.returning((String[]) null)),
                npe.of("Update.forEachId(null)", "ids", () -> update.forEachId(null)),
                npe.of("Latchkey.batch(null)", "updates", () -> H2.batch(null)),
                npe.of("RowLockQuery.keys((Object[]) null)", "keys", () -> lock.keys((Object[]) null)),
                iae.of("RowLockQuery.where(col, null, v)", "operator", () -> lock.where("stock", null, 1)),
                npe.of("RowLockQuery.columns((String[]) null)", "columns", () -> lock.columns((String[]) null)),
                // update
                iae.of("Update.returning(a, null)", "returning column", () -> update.returning("a", null)),
                npe.of("Update.forEach(col, null)", "values", () -> update.forEach("id", null)),
                iae.of("Update.forEach(col, [1, null])", "key column id must not be null", () -> update.forEach("id", Arrays.asList(1, null))),
                npe.of("Update.forEach(null, keys)", "columns", () -> update.forEach((List<String>) null, List.of(List.of(1)))),
                npe.of("Update.forEach(cols, null)", "keys", () -> update.forEach(List.of("id"), null)),
                iae.of("Update.forEach(cols, [null])", "each key", () -> update.forEach(List.of("id"), Arrays.asList((List<?>) null))),
                iae.of("Update.forEach([null], keys)", "key column", () -> update.forEach(Arrays.asList((String) null), List.of(List.of(1)))),
                iae.of("Update.forEachId([null])", "key column id must not be null", () -> update.forEachId(Arrays.asList((Object) null))),
                iae.of("Latchkey.batch([null])", "a batch", () -> H2.batch(Arrays.asList((Update) null))),
                npe.of("BatchUpdate.of(null)", "updates", () -> BatchUpdate.of(null)),
                iae.of("Latchkey.update(null)", "table", () -> H2.update(null)),
                iae.of("Update.set(null, v)", "column", () -> update.set(null, 1)),
                iae.of("Update.where(null, v)", "key column", () -> update.where(null, 1)),
                iae.of("Update.where(col, null)", "key column id must not be null", () -> update.where("id", null)),
                iae.of("Update.whereId(null)", "key column id must not be null", () -> update.whereId(null)),
                iae.of("Update.require(null)", "guard", () -> update.require(null)),
                iae.of("Update.versionColumn(null)", "version column", () -> update.versionColumn(null)),
                iae.of("Update.timestampVersionColumn(null)", "version column", () -> update.timestampVersionColumn(null)),
                iae.of("Update.expectVersion(null)", "expected version", () -> update.expectVersion(null)),
                npe.of("Update.modify(null)", "modifier", () -> update.modify(null)),
                npe.of("Update.execute(null)", "connection", () -> update.whereId(1).execute(NO_CONNECTION)),
                npe.of("ReadModifyWrite.reading((String[]) null)", "columns", () -> rmw.reading((String[]) null)),
                iae.of("ReadModifyWrite.reading(a, null)", "column", () -> rmw.reading("a", null)),
                npe.of("ReadModifyWrite.withRetry(null)", "policy", () -> rmw.withRetry(null)),
                npe.of("ReadModifyWrite.execute(null)", "connection", () -> rmw.execute(NO_CONNECTION)),
                iae.of("Latchkey.upsert(null)", "table", () -> H2.upsert(null)),
                iae.of("Upsert.key(null, v)", "key column", () -> upsert.key(null, 1)),
                iae.of("Upsert.key(col, null)", "key", () -> upsert.key("id", null)),
                iae.of("Upsert.value(null, v)", "column", () -> upsert.value(null, 1)),
                iae.of("Upsert.onConflict(null, v)", "column", () -> upsert.onConflict(null, 1)),
                iae.of("Upsert.increment(null, n)", "column", () -> upsert.increment(null, 1)),
                iae.of("Upsert.increment(col, null)", "increment", () -> upsert.increment("n", null)),
                npe.of("Upsert.returning((String[]) null)", "columns", () -> upsert.returning((String[]) null)),
                iae.of("Upsert.returning(a, null)", "returning column", () -> upsert.returning("a", null)),
                npe.of("Upsert.execute(null)", "connection", () -> upsert.key("id", 1).value("n", 1).execute(NO_CONNECTION)),
                iae.of("Expressions.col(null)", "column", () -> Expressions.col(null)),
                iae.of("Expressions.excluded(null)", "excluded column", () -> Expressions.excluded(null)),
                iae.of("Expressions.coalesce(null, v)", "coalesce", () -> Expressions.coalesce(null, 1)),
                npe.of("Expressions.coalesce(v, (Object[]) null)", "rest", () -> Expressions.coalesce(1, (Object[]) null)),
                iae.of("Expressions.coalesce(v, null, null)", "coalesce", () -> Expressions.coalesce(1, null, null)),
                iae.of("Expression.plus(null)", "plus", () -> Expressions.col("a").plus(null)),
                iae.of("Expression.eq(null)", "eq", () -> Expressions.col("a").eq(null)),
                npe.of("Condition.and(null)", "other", () -> Expressions.col("a").eq(1).and(null)),
                npe.of("Condition.or(null)", "other", () -> Expressions.col("a").eq(1).or(null)),
                // lock
                iae.of("Latchkey.lock(null)", "table", () -> H2.lock(null)),
                iae.of("RowLockQuery.columns(a, null)", "column", () -> lock.columns("a", null)),
                npe.of("RowLockQuery.keys((Collection) null)", "keys", () -> lock.keys((Collection<?>) null)),
                iae.of("RowLockQuery.keys(1, null)", "keys", () -> lock.keys(1L, null)),
                iae.of("RowLockQuery.key(null)", "key", () -> lock.key(null)),
                iae.of("RowLockQuery.keyColumn(null)", "keyColumn", () -> lock.keyColumn(null)),
                npe.of("RowLockQuery.where((Condition) null)", "condition", () -> lock.where((Condition) null)),
                iae.of("RowLockQuery.where(null, v)", "column", () -> lock.where(null, 1)),
                iae.of("RowLockQuery.where(col, null)", "value", () -> lock.where("stock", (Object) null)),
                iae.of("RowLockQuery.where(col, op, null)", "value", () -> lock.where("stock", "<", null)),
                iae.of("RowLockQuery.whereNull(null)", "column", () -> lock.whereNull(null)),
                iae.of("RowLockQuery.whereNotNull(null)", "column", () -> lock.whereNotNull(null)),
                iae.of("RowLockQuery.orderBy(null)", "column", () -> lock.orderBy(null)),
                iae.of("RowLockQuery.orderByDescending(null)", "column", () -> lock.orderByDescending(null)),
                npe.of("RowLockQuery.timeout(null)", "timeout", () -> lock.timeout(null)),
                npe.of("RowLockQuery.fetch(null)", "connection", () -> lock.fetch(NO_CONNECTION)),
                npe.of("RowLockQuery.fetchOne(null)", "connection", () -> lock.fetchOne(NO_CONNECTION)),
                npe.of("RowLockQuery.fetch(c, null)", "mapper", () -> lock.fetch(NO_CONNECTION, null)),
                npe.of("RowLockQuery.fetchOne(c, null)", "mapper", () -> lock.fetchOne(NO_CONNECTION, null)),
                iae.of("Latchkey.advisoryLock(null)", "name=null", () -> PG.advisoryLock(null)),
                npe.of("AdvisoryLock.lock(null)", "connection", () -> advisory.lock(NO_CONNECTION)),
                npe.of("AdvisoryLock.lock(c, null)", "timeout", () -> advisory.lock(NO_CONNECTION, null)),
                npe.of("AdvisoryLock.tryLock(null)", "connection", () -> advisory.tryLock(NO_CONNECTION)),
                // idempotency
                iae.of("Latchkey.idempotencyStore(null)", "table", () -> H2.idempotencyStore(null)),
                iae.of("Builder.table(null)", "table", () -> H2.idempotencyStoreBuilder().table(null)),
                npe.of("Builder.retryPolicy(null)", "retryPolicy", () -> H2.idempotencyStoreBuilder().retryPolicy(null)),
                npe.of("JdbcIdempotencyStore.builder(null)", "latchkey", () -> JdbcIdempotencyStore.builder(null)),
                npe.of("JdbcIdempotencyStore.executor(null)", "policy", () -> store.executor(null)),
                npe.of("JdbcIdempotencyStore.transactional(null)", "policy", () -> store.transactional(null)),
                npe.of("JdbcIdempotencyStore.claim(null, ..)", "key", () -> store.claim(null, fp, d, d)),
                npe.of("JdbcIdempotencyStore.claim(k, null, ..)", "fingerprint", () -> store.claim(key, null, d, d)),
                npe.of("JdbcIdempotencyStore.claim(k, f, null, r)", "lease", () -> store.claim(key, fp, null, d)),
                npe.of("JdbcIdempotencyStore.claim(k, f, l, null)", "retention", () -> store.claim(key, fp, d, null)),
                npe.of("JdbcIdempotencyStore.release(null, o)", "key", () -> store.release(null, null)),
                npe.of("JdbcIdempotencyStore.find(null)", "key", () -> store.find(null)),
                npe.of("JdbcIdempotencyStore.claim(null connection, ..)", "connection", () -> store.claim(NO_CONNECTION, key, fp, d, d)),
                npe.of("JdbcIdempotencyStore.find(null connection, k)", "connection", () -> store.find(NO_CONNECTION, key)),
                npe.of("TransactionalIdempotency.of(null, p)", "store", () -> TransactionalIdempotency.of(null, IdempotencyPolicy.defaults())),
                npe.of("TransactionalIdempotency.withTransactions(null)", "transactions", () -> tx.withTransactions(null)),
                npe.of("TransactionalIdempotency.withPolicy(null)", "policy", () -> tx.withPolicy(null)),
                npe.of("TransactionalIdempotency.withListener(null)", "listener", () -> tx.withListener(null)),
                npe.of("TransactionalIdempotency.execute(null, ..)", "key", () -> tx.execute(null, fp, work)),
                npe.of("TransactionalIdempotency.execute(k, null, ..)", "fingerprint", () -> tx.execute(key, null, work)),
                npe.of("TransactionalIdempotency.execute(k, f, null)", "work", () -> tx.execute(key, fp, null)),
                npe.of("TransactionalIdempotency.execute(k, f, null codec, w)", "codec",
                        () -> tx.execute(key, fp, (ResponseCodec<StoredResponse>) null, work)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nullArguments")
    void aNullArgumentIsRefusedNamingTheParameter(String call, Class<? extends RuntimeException> type, String parameter,
                                                  ThrowingCallable callable) {
        Throwable thrown = catchThrowable(callable);
        assertThat(thrown).as(call).isInstanceOf(type);
        if (type == NullPointerException.class) {
            assertThat(thrown.getMessage()).as(call + ": the message is the parameter's name").isEqualTo(parameter);
        } else {
            assertThat(thrown.getMessage()).as(call + ": the message names the parameter").contains(parameter);
        }
    }

    /** Cases expecting {@code NullPointerException(parameter)}. */
    private static final class NPE {
        Arguments of(String call, String parameter, ThrowingCallable callable) {
            return Arguments.of(call, NullPointerException.class, parameter, callable);
        }
    }

    /** Cases expecting an {@code IllegalArgumentException} whose message names the parameter. */
    private static final class IAE {
        Arguments of(String call, String parameter, ThrowingCallable callable) {
            return Arguments.of(call, IllegalArgumentException.class, parameter, callable);
        }
    }
}
