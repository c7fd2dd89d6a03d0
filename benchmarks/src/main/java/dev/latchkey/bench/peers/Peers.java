package dev.latchkey.bench.peers;

import javax.sql.DataSource;

/**
 * The sides of a comparison over one fixture and one data source, each made on first use (a
 * benchmark makes only the side it measures, in its trial setup). Not thread-safe while sides are
 * being made; read-only afterwards.
 */
final class Peers implements AutoCloseable {
    /** How a locking read waits for a row another transaction holds. */
    enum Wait {
        /** Fail at once. */
        NOWAIT,
        /** Leave the row out. */
        SKIP_LOCKED,
        /** Wait at most {@link #LOCK_TIMEOUT_MS}. */
        TIMEOUT_300_MS
    }

    /** The lock timeout of the bounded locking read. */
    static final int LOCK_TIMEOUT_MS = 300;
    /** Immediate re-reads an optimistic writer makes before it gives up. */
    static final int MAX_RETRIES = 100_000;
    /** Attempts of a transfer, the first included, on both sides. */
    static final int TRANSFER_ATTEMPTS = 20;
    /** What a transfer returns when it gave up: every attempt deadlocked. */
    static final int GAVE_UP = -1;
    /** The job lock's name. */
    static final String JOB = "latchkey-bench-peer-job";

    final PeerFixture fixture;
    private final DataSource dataSource;
    private HibernatePeer hibernate;
    private JooqPeer jooq;
    private SpringPeer spring;
    private ShedLockPeer shedlock;
    private LatchkeyPeer latchkey;

    Peers(PeerFixture fixture, DataSource dataSource) {
        this.fixture = fixture;
        this.dataSource = dataSource;
    }

    HibernatePeer hibernate() {
        if (hibernate == null) {
            hibernate = new HibernatePeer(dataSource, fixture.items);
        }
        return hibernate;
    }

    JooqPeer jooq() {
        if (jooq == null) {
            jooq = new JooqPeer(dataSource, fixture.product(), fixture.items);
        }
        return jooq;
    }

    SpringPeer spring() {
        if (spring == null) {
            spring = new SpringPeer(dataSource, fixture.items);
        }
        return spring;
    }

    ShedLockPeer shedlock() {
        if (shedlock == null) {
            shedlock = new ShedLockPeer(dataSource, fixture.shedlock);
        }
        return shedlock;
    }

    LatchkeyPeer latchkey() {
        if (latchkey == null) {
            latchkey = new LatchkeyPeer(dataSource, fixture.items, fixture.leases, JOB);
        }
        return latchkey;
    }

    /**
     * Makes the side a benchmark method measures, named in it after the step:
     * {@code ...Hibernate}, {@code ...Jooq}, {@code ...Spring}, {@code ...ShedLock},
     * {@code ...Latchkey...}.
     *
     * @param benchmark the benchmark's full name, as JMH gives it
     * @throws IllegalArgumentException if the method's name names no side
     */
    void prepareFor(String benchmark) {
        String method = benchmark.substring(benchmark.lastIndexOf('.') + 1);
        if (method.contains("Hibernate")) {
            hibernate();
        } else if (method.contains("Jooq")) {
            jooq();
        } else if (method.contains("Spring")) {
            spring();
        } else if (method.contains("ShedLock")) {
            shedlock();
        } else if (method.contains("Latchkey")) {
            latchkey();
        } else {
            throw new IllegalArgumentException("a peer benchmark's name ends with its side: benchmark=" + benchmark);
        }
    }

    /** Closes the sides that hold resources (Hibernate's session factory); not the fixture. */
    @Override
    public void close() {
        if (hibernate != null) {
            hibernate.close();
        }
    }
}
