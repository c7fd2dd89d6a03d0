/** jcstress tests of the in-memory idempotency store and the Idempotency executor. */
package dev.latchkey.jcstress.idempotency;
