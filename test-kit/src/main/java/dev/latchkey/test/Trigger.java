package dev.latchkey.test;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/**
 * When a rule of a {@link FaultPlan} fires: at one of the {@link Point points} where a database
 * call can fail (before a statement, at a COMMIT, a ROLLBACK, when auto-commit is restored, at
 * close, at connect), chosen by number, by the SQL, or at random from the plan's seed. The calls
 * of each point are numbered from 1, in the order they reach the {@link FaultInjectingDataSource}
 * (over all its connections, since its current plan was set); a statement is one
 * {@code execute*} call (a batch counts once).
 *
 * <p>Immutable and thread-safe.
 */
public final class Trigger {
    /** The calls at which a fault can be injected; each point numbers its calls separately. */
    public enum Point {
        /** Before a statement's {@code execute*} call is sent; the statement is then not executed. */
        STATEMENT,
        /** At {@link java.sql.Connection#commit()}. */
        COMMIT,
        /** At {@link java.sql.Connection#rollback()} (not a rollback to a savepoint). */
        ROLLBACK,
        /**
         * At {@code setAutoCommit(true)} on a connection in a transaction (auto-commit off): what
         * code does after its COMMIT to hand the connection back as it got it.
         */
        RESTORE_AUTO_COMMIT,
        /** At {@link java.sql.Connection#close()} of an open connection, after it was really closed. */
        CLOSE,
        /** At {@link javax.sql.DataSource#getConnection()}: no connection is opened. */
        CONNECT
    }

    private enum Kind { NTH, MATCHING, PROBABILITY }

    private final Point point;
    private final Kind kind;
    private final long n;
    private final @Nullable Pattern pattern;
    private final double probability;

    private Trigger(Point point, Kind kind, long n, @Nullable Pattern pattern, double probability) {
        this.point = point;
        this.kind = kind;
        this.n = n;
        this.pattern = pattern;
        this.probability = probability;
    }

    /**
     * Fires before the n-th statement (once).
     *
     * @param n the statement's number, from 1
     * @return the trigger
     * @throws IllegalArgumentException if {@code n < 1}
     */
    public static @NotNull Trigger statement(long n) {
        return nth(Point.STATEMENT, n);
    }

    /**
     * Fires at the n-th call of a point (once): e.g. {@code nth(Point.CLOSE, 1)} fails the first
     * close.
     *
     * @param point the calls to count
     * @param n the call's number, from 1
     * @return the trigger
     * @throws IllegalArgumentException if {@code n < 1}
     */
    public static @NotNull Trigger nth(@NotNull Point point, long n) {
        return new Trigger(Objects.requireNonNull(point, "point"), Kind.NTH, positive(n), null, 0);
    }

    /**
     * Fires at every call of a point; with a rule's {@code times}, at the next {@code times}
     * calls: e.g. {@code inject(Fault.DEADLOCK, Trigger.every(Point.COMMIT), 1)} fails the next
     * COMMIT.
     *
     * @param point the calls
     * @return the trigger
     */
    public static @NotNull Trigger every(@NotNull Point point) {
        return new Trigger(Objects.requireNonNull(point, "point"), Kind.PROBABILITY, 0, null, 1);
    }

    /**
     * Fires at each call of a point with the given probability, drawn from the plan's seed and
     * the call's number: the same seed fails the same call numbers on every run.
     *
     * @param point the calls
     * @param probability between 0 and 1
     * @return the trigger
     * @throws IllegalArgumentException if the probability is outside [0, 1]
     */
    public static @NotNull Trigger withProbability(@NotNull Point point, double probability) {
        return new Trigger(Objects.requireNonNull(point, "point"), Kind.PROBABILITY, 0, null,
                checkProbability(probability));
    }

    /**
     * Fires before every statement whose SQL contains a match of the regular expression
     * ({@link java.util.regex.Matcher#find()}; add {@code (?i)} for case-insensitive).
     *
     * @param regex the regular expression
     * @return the trigger
     * @throws IllegalArgumentException if the expression does not compile
     */
    public static @NotNull Trigger statementsMatching(@NotNull String regex) {
        return new Trigger(Point.STATEMENT, Kind.MATCHING, 0, compile(regex), 0);
    }

    /**
     * Fires before each statement with the given probability, drawn from the plan's seed and the
     * statement's number: the same seed fails the same statement numbers on every run.
     *
     * @param probability between 0 and 1
     * @return the trigger
     * @throws IllegalArgumentException if the probability is outside [0, 1]
     */
    public static @NotNull Trigger statementsWithProbability(double probability) {
        return withProbability(Point.STATEMENT, probability);
    }

    /**
     * Fires at the n-th COMMIT (once).
     *
     * @param n the commit's number, from 1
     * @return the trigger
     * @throws IllegalArgumentException if {@code n < 1}
     */
    public static @NotNull Trigger commit(long n) {
        return nth(Point.COMMIT, n);
    }

    /**
     * Fires at the COMMIT of every transaction that ran a statement whose SQL contains a match of
     * the regular expression.
     *
     * @param regex the regular expression
     * @return the trigger
     * @throws IllegalArgumentException if the expression does not compile
     */
    public static @NotNull Trigger commitsOfTransactionsMatching(@NotNull String regex) {
        return new Trigger(Point.COMMIT, Kind.MATCHING, 0, compile(regex), 0);
    }

    /**
     * Fires at each COMMIT with the given probability, drawn from the plan's seed and the
     * commit's number.
     *
     * @param probability between 0 and 1
     * @return the trigger
     * @throws IllegalArgumentException if the probability is outside [0, 1]
     */
    public static @NotNull Trigger commitsWithProbability(double probability) {
        return withProbability(Point.COMMIT, probability);
    }

    /**
     * Returns the point whose calls this trigger looks at.
     *
     * @return the point
     */
    public @NotNull Point point() {
        return point;
    }

    /**
     * Whether the trigger fires for this call.
     *
     * @param number the call's number among calls of its point
     * @param sql the statement's SQL, or the SQL of the committing transaction's statements
     * @param draw the call's random draw in [0, 1)
     */
    boolean fires(long number, Iterable<String> sql, double draw) {
        switch (kind) {
            case NTH:
                return number == n;
            case PROBABILITY:
                return draw < probability;
            default:
                for (String s : sql) {
                    if (Objects.requireNonNull(pattern).matcher(s).find()) {
                        return true;
                    }
                }
                return false;
        }
    }

    private static long positive(long n) {
        if (n < 1) {
            throw new IllegalArgumentException("the call number must be >= 1: n=" + n);
        }
        return n;
    }

    private static Pattern compile(String regex) {
        Objects.requireNonNull(regex, "regex");
        try {
            return Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("not a regular expression: regex=" + regex, e);
        }
    }

    private static double checkProbability(double p) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("probability must be in [0, 1]: probability=" + p);
        }
        return p;
    }

    @Override
    public String toString() {
        String where = point.name().toLowerCase(Locale.ROOT).replace('_', ' ');
        switch (kind) {
            case NTH:
                return where + " #" + n;
            case MATCHING:
                return (point == Point.STATEMENT ? "statements matching /" : "commits of transactions matching /")
                        + pattern + "/";
            default:
                return probability == 1 ? "every " + where : where + " with probability " + probability;
        }
    }
}
