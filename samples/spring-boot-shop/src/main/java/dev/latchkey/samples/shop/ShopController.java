package dev.latchkey.samples.shop;

import java.net.URI;
import java.util.Map;

import dev.latchkey.StaleVersionException;
import dev.latchkey.spring.web.Idempotent;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** The shop's HTTP API. */
@RestController
public class ShopController {
    private final ShopService shop;

    ShopController(ShopService shop) {
        this.shop = shop;
    }

    record Quantity(int quantity) {
    }

    record NewPrice(long priceCents, long version) {
    }

    record NewOrder(long productId, int quantity) {
    }

    @GetMapping("/products/{id}")
    ResponseEntity<ShopService.Product> product(@PathVariable("id") long id) {
        ShopService.Product p = shop.product(id);
        return p == null ? ResponseEntity.notFound().build() : ResponseEntity.ok(p);
    }

    /** Atomic, guarded stock decrement: never oversells, whatever the concurrency. */
    @PostMapping("/products/{id}/reserve")
    Map<String, Object> reserve(@PathVariable("id") long id, @RequestBody Quantity body) {
        return Map.of("productId", id, "stockLeft", shop.reserve(id, body.quantity()));
    }

    /** Optimistic update: the client sends the version it read; a concurrent change makes it 409. */
    @PutMapping("/products/{id}/price")
    Map<String, Object> price(@PathVariable("id") long id, @RequestBody NewPrice body) {
        return Map.of("productId", id, "version", shop.changePrice(id, body.priceCents(), body.version()));
    }

    /** Idempotent under the Idempotency-Key header: one order per key, its response replayed to retries. */
    @PostMapping("/orders")
    @Idempotent
    ResponseEntity<ShopService.Order> order(@RequestBody NewOrder body) {
        ShopService.Order order = shop.placeOrder(body.productId(), body.quantity());
        return ResponseEntity.created(URI.create("/orders/" + order.orderId())).body(order);
    }

    @ExceptionHandler(ShopService.OutOfStockException.class)
    ProblemDetail outOfStock(ShopService.OutOfStockException e) {
        return problem(HttpStatus.CONFLICT, "out-of-stock", e.getMessage());
    }

    @ExceptionHandler(ShopService.NoSuchProductException.class)
    ProblemDetail noSuchProduct(ShopService.NoSuchProductException e) {
        return problem(HttpStatus.NOT_FOUND, "no-such-product", e.getMessage());
    }

    @ExceptionHandler(StaleVersionException.class)
    ProblemDetail stale(StaleVersionException e) {
        return problem(HttpStatus.CONFLICT, "stale-version", e.getMessage());
    }

    private static ProblemDetail problem(HttpStatus status, String code, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setProperty("code", code);
        return problem;
    }
}
