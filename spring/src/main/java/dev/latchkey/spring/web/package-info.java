/**
 * HTTP {@code Idempotency-Key} for Spring MVC (draft-ietf-httpapi-idempotency-key-header):
 * annotate a handler {@link dev.latchkey.spring.web.Idempotent @Idempotent} and register one
 * {@link dev.latchkey.spring.web.LatchkeyIdempotencyFilter}. Needs spring-webmvc 6.2 or 7.0 and
 * a Servlet 6.0+ container; applications without Spring MVC never load this package.
 */
package dev.latchkey.spring.web;
