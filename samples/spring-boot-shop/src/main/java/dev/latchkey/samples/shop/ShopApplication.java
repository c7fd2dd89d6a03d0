package dev.latchkey.samples.shop;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A small shop on latchkey-spring-boot-starter: an atomic stock reservation, an optimistic price
 * update and an idempotent order endpoint. {@code --shop.demo=true} fires concurrent requests at
 * itself, prints what each strategy did ({@link ShopDemo}) and exits.
 */
@SpringBootApplication
public class ShopApplication {

    /**
     * Starts the shop.
     *
     * @param args Spring Boot arguments, e.g. {@code --shop.demo=true} or {@code --server.port=8081}
     */
    public static void main(String[] args) {
        SpringApplication.run(ShopApplication.class, args);
    }
}
