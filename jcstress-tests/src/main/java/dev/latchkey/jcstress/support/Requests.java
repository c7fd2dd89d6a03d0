package dev.latchkey.jcstress.support;

import java.util.function.Supplier;

import dev.latchkey.idempotency.Idempotency;
import dev.latchkey.idempotency.IdempotencyKeyInUseException;
import dev.latchkey.idempotency.IdempotentResult;
import dev.latchkey.idempotency.LeaseLostException;
import dev.latchkey.idempotency.StoredResponse;

/** One request through the {@link Idempotency} executor, named by what happened to it. */
public final class Requests {
    private Requests() {
    }

    /**
     * Executes a request for {@link Claims#KEY} with {@link Claims#REQUEST} and names what
     * happened: {@code fresh-<worker>} (its work ran and its response was stored),
     * {@code replayed-<worker>} (that worker's stored response was replayed), {@code in-use}
     * (HTTP 409) or {@code lease-lost} (its work outlived its lease and was fenced off).
     *
     * @param idempotency the executor
     * @param worker the worker's name, put in its response
     * @param work what the work does before returning the response
     * @return the outcome's name
     */
    public static String execute(Idempotency idempotency, String worker, Runnable work) {
        Supplier<StoredResponse> charge = () -> {
            work.run();
            return Claims.response(worker);
        };
        try {
            IdempotentResult<StoredResponse> r = idempotency.execute(Claims.KEY, Claims.REQUEST, charge);
            return (r.isReplayed() ? "replayed-" : "fresh-") + Claims.worker(r.response());
        } catch (IdempotencyKeyInUseException e) {
            return "in-use";
        } catch (LeaseLostException e) {
            return "lease-lost";
        }
    }
}
