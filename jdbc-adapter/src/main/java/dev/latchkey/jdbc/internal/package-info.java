/**
 * Implementation details shared across Latchkey's JDBC packages. Not API: may change in any
 * release, and excluded from the Javadoc.
 */
package dev.latchkey.jdbc.internal;
