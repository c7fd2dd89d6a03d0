/**
 * A user's module: requires latchkey-jdbc (and through it latchkey-core and java.sql) and
 * nothing else. It must compile and run without org.jetbrains.annotations.
 */
module dev.latchkey.consumer {
    requires dev.latchkey.jdbc;
}
