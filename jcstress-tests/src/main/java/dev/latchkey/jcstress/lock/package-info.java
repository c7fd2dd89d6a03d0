/** jcstress tests of the in-process keyed locks. */
package dev.latchkey.jcstress.lock;
