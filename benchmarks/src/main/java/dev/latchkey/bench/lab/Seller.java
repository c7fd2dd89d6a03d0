package dev.latchkey.bench.lab;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * How a Latchkey strategy takes stock and records the order, inside the transaction that also
 * claims and completes the request's idempotency key.
 */
interface Seller {
    /**
     * Sells, or answers sold out.
     *
     * @param tx the transaction's connection
     * @param purchase the request
     * @return {@link Outcome#ACCEPTED} or {@link Outcome#SOLD_OUT}
     * @throws SQLException on a database error
     */
    Outcome sell(Connection tx, Purchase purchase) throws SQLException;
}
