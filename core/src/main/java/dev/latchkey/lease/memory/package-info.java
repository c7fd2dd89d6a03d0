/**
 * The in-memory lease backend, for tests and for leases shared by the threads of one JVM.
 */
package dev.latchkey.lease.memory;
