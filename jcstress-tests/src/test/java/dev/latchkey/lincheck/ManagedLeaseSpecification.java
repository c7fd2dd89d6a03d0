package dev.latchkey.lincheck;

/**
 * The sequential specification of one engine lease ({@link ManagedLeaseOperations}): the lease
 * ends exactly once, released or lost; while it is held, extend and release succeed (no time
 * passes, so the backend keeps the acquisition); once it has ended, extend reports the loss,
 * release and lost return {@code false} and isHeld is {@code false}.
 */
public final class ManagedLeaseSpecification {
    private boolean held = true;

    /**
     * Specified extension.
     *
     * @return as {@link ManagedLeaseOperations#extend}
     */
    public String extend() {
        return held ? "extended" : "lost";
    }

    /**
     * Specified release.
     *
     * @return as {@link ManagedLeaseOperations#release}
     */
    public boolean release() {
        return end();
    }

    /**
     * Specified loss.
     *
     * @return as {@link ManagedLeaseOperations#lost}
     */
    public boolean lost() {
        return end();
    }

    private boolean end() {
        boolean ended = held;
        held = false;
        return ended;
    }

    /**
     * Specified observation.
     *
     * @return as {@link ManagedLeaseOperations#isHeld}
     */
    public boolean isHeld() {
        return held;
    }
}
