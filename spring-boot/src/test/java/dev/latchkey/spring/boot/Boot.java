package dev.latchkey.spring.boot;

import org.springframework.boot.SpringBootVersion;
import org.springframework.boot.autoconfigure.AutoConfigurations;

/**
 * Boot's auto-configurations by name, in their Boot 3 package or their Boot 4 one, so that the same
 * test sources run on both (module spring-boot-4-tests).
 */
final class Boot {
    private Boot() {
    }

    /** Which Boot major the tests must run on: 3 here, 4 in spring-boot-4-tests. */
    static int expectedMajor() {
        return Integer.parseInt(System.getProperty("latchkey.boot.expectedMajor", "3"));
    }

    static int runningMajor() {
        return Integer.parseInt(SpringBootVersion.getVersion().split("\\.")[0]);
    }

    static Class<?> load(String boot3, String boot4) {
        String name = runningMajor() >= 4 ? boot4 : boot3;
        try {
            return Class.forName(name);
        } catch (ClassNotFoundException e) {
            throw new AssertionError("Boot " + SpringBootVersion.getVersion() + " has no " + name, e);
        }
    }

    /** DataSource, JdbcTemplate and DataSourceTransactionManager auto-configuration, and Latchkey's. */
    static AutoConfigurations jdbc() {
        return AutoConfigurations.of(
                load("org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration",
                        "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration"),
                load("org.springframework.boot.autoconfigure.jdbc.JdbcTemplateAutoConfiguration",
                        "org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration"),
                load("org.springframework.boot.autoconfigure.jdbc.DataSourceTransactionManagerAutoConfiguration",
                        "org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration"),
                LatchkeyAutoConfiguration.class);
    }

    /** Boot's schema.sql / data.sql initialization of the DataSource. */
    static AutoConfigurations sqlInit() {
        return AutoConfigurations.of(
                load("org.springframework.boot.autoconfigure.sql.init.SqlInitializationAutoConfiguration",
                        "org.springframework.boot.jdbc.autoconfigure.DataSourceInitializationAutoConfiguration"));
    }

    /** Spring MVC's auto-configuration. */
    static AutoConfigurations webMvc() {
        return AutoConfigurations.of(
                load("org.springframework.boot.autoconfigure.web.servlet.WebMvcAutoConfiguration",
                        "org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration"),
                LatchkeyWebAutoConfiguration.class);
    }

    /** Micrometer's registry auto-configuration, as the actuator starter brings it. */
    static AutoConfigurations metrics() {
        return AutoConfigurations.of(
                load("org.springframework.boot.actuate.autoconfigure.metrics.MetricsAutoConfiguration",
                        "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration"),
                load("org.springframework.boot.actuate.autoconfigure.metrics.export.simple.SimpleMetricsExportAutoConfiguration",
                        "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration"),
                load("org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration",
                        "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration"));
    }
}
