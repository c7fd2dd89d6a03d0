/**
 * The JDBC entry point {@link dev.latchkey.jdbc.Latchkey}, the transaction runner
 * {@link dev.latchkey.jdbc.Transactions} and the error translator
 * {@link dev.latchkey.jdbc.error.SqlErrorTranslator}.
 */
package dev.latchkey.jdbc;
