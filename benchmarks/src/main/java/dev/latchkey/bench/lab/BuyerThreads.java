package dev.latchkey.bench.lab;

import java.lang.reflect.Method;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Makes the buyers' threads: virtual threads when the JDK has them (21 and later), found
 * reflectively because the project compiles for Java 17; platform threads otherwise.
 */
final class BuyerThreads {
    private final ThreadFactory factory;
    private final boolean virtual;

    private BuyerThreads(ThreadFactory factory, boolean virtual) {
        this.factory = factory;
        this.virtual = virtual;
    }

    /**
     * Detects virtual threads.
     *
     * @return virtual threads if the JDK has them (not as a preview), else platform threads
     */
    static BuyerThreads detect() {
        try {
            Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
            Class<?> builderType = Class.forName("java.lang.Thread$Builder");
            Method name = builderType.getMethod("name", String.class, long.class);
            builder = name.invoke(builder, "buyer-", 0L);
            ThreadFactory f = (ThreadFactory) builderType.getMethod("factory").invoke(builder);
            f.newThread(() -> { }); // throws on JDK 19/20 without --enable-preview
            return new BuyerThreads(f, true);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return platform();
        }
    }

    /** @return platform (daemon) threads */
    static BuyerThreads platform() {
        AtomicInteger counter = new AtomicInteger();
        ThreadFactory f = r -> {
            Thread t = new Thread(r, "buyer-" + counter.getAndIncrement());
            t.setDaemon(true);
            return t;
        };
        return new BuyerThreads(f, false);
    }

    /** @return whether the threads are virtual */
    boolean virtual() {
        return virtual;
    }

    /**
     * A new, unstarted thread.
     *
     * @param task what it runs
     * @return the thread
     */
    Thread newThread(Runnable task) {
        return factory.newThread(task);
    }

    /** @return {@code "virtual threads"} or {@code "platform threads"} */
    String describe() {
        return virtual ? "virtual threads" : "platform threads (virtual threads need JDK 21+)";
    }
}
