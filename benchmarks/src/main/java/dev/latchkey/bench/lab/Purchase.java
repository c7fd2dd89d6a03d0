package dev.latchkey.bench.lab;

/**
 * One buyer's request: {@code qty} units of a product, identified by the client's request key
 * (sent again, unchanged, when the client retries).
 *
 * @param key the idempotency key the client chose
 * @param productId the product
 * @param qty units wanted, {@code >= 1}
 */
public record Purchase(String key, long productId, int qty) {
    /** @return the request body the key must always come with, e.g. {@code "product=2&qty=1"} */
    public String body() {
        return "product=" + productId + "&qty=" + qty;
    }
}
