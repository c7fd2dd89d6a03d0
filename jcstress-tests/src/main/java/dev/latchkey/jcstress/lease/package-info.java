/** jcstress tests of the lease engine and the in-memory lease backend. */
package dev.latchkey.jcstress.lease;
