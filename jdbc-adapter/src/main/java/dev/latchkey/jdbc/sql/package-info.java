/**
 * Types shared by Latchkey's JDBC features: the unit-of-work callback and transaction runner
 * interface, and the row and condition types the update and lock builders share.
 */
package dev.latchkey.jdbc.sql;
