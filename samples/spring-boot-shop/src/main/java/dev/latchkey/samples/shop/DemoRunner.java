package dev.latchkey.samples.shop;

import java.net.URI;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/** With {@code --shop.demo=true}: runs {@link ShopDemo} against this very application, prints it, exits. */
@Component
@ConditionalOnProperty(prefix = "shop", name = "demo", havingValue = "true")
class DemoRunner implements ApplicationRunner {
    private final Environment environment;
    private final ShopService shop;
    private final ConfigurableApplicationContext context;

    DemoRunner(Environment environment, ShopService shop, ConfigurableApplicationContext context) {
        this.environment = environment;
        this.shop = shop;
        this.context = context;
    }

    @Override
    public void run(ApplicationArguments args) throws Exception {
        URI base = URI.create("http://localhost:" + environment.getRequiredProperty("local.server.port"));
        System.out.println("\n=== Latchkey shop demo against " + base + " ===\n" + ShopDemo.run(base, shop::orderCount) + "\n");
        System.exit(SpringApplication.exit(context, () -> 0));
    }
}
