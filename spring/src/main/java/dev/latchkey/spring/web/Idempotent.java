package dev.latchkey.spring.web;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a Spring MVC handler method (or every handler method of a controller) as idempotent
 * under the {@code Idempotency-Key} request header: {@link LatchkeyIdempotencyFilter} runs it at
 * most once per key and replays its stored response to every retry with the same key. A method's
 * annotation wins over its class's.
 *
 * <pre>{@code
 * @PostMapping("/orders")
 * @Idempotent(lease = "30s", retention = "24h")
 * ResponseEntity<Order> create(@RequestBody NewOrder order) { ... }
 * }</pre>
 *
 * <p>The durations accept every style Spring's {@code DurationFormatterUtils.detectAndParse}
 * does: ISO-8601 ({@code "PT30S"}) or simple ({@code "30s"}, {@code "5m"}, {@code "24h"},
 * {@code "7d"}); empty means the executor's {@link dev.latchkey.idempotency.IdempotencyPolicy}.
 * A value that does not parse, or a lease longer than the retention, fails the first request to
 * the endpoint with an {@link IllegalStateException} naming the method and the value.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface Idempotent {

    /**
     * Returns what the key protects: requests of different scopes never share a key. Empty (the
     * default) means the HTTP method and the route template, e.g. {@code "POST /orders/{id}/pay"}
     * (a hash of it when longer than {@value dev.latchkey.idempotency.IdempotencyKey#MAX_SCOPE_LENGTH}
     * characters). Give two endpoints the same scope to make one key cover both.
     *
     * @return the scope, or empty for the route's
     */
    String scope() default "";

    /**
     * Returns whether a request without an {@code Idempotency-Key} header is refused (400,
     * {@code application/problem+json}); when {@code false} it runs the handler as if it were not
     * annotated. A malformed key is refused either way.
     *
     * @return whether the key is required; {@code true} by default
     */
    boolean required() default true;

    /**
     * Returns how long the first request holds the key before a duplicate may take it over (see
     * {@link dev.latchkey.idempotency.IdempotencyPolicy#lease()}); empty for the policy's.
     *
     * @return the lease, or empty
     */
    String lease() default "";

    /**
     * Returns how long a stored response is replayed (see
     * {@link dev.latchkey.idempotency.IdempotencyPolicy#retention()}); empty for the policy's.
     *
     * @return the retention, or empty
     */
    String retention() default "";
}
