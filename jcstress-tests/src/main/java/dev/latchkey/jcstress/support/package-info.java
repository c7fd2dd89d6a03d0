/** What the stress tests share: an injected clock and short names for outcomes. */
package dev.latchkey.jcstress.support;
