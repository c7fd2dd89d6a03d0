package dev.latchkey.redis.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;

import org.jetbrains.annotations.NotNull;

/**
 * A Lua script and its SHA-1, the name {@code EVALSHA} runs it by. Immutable.
 */
public final class LuaScript {
    private final String name;
    private final String source;
    private final String sha1;

    private LuaScript(String name, String source) {
        this.name = name;
        this.source = source;
        this.sha1 = sha1(source);
    }

    /**
     * A script.
     *
     * @param name a short name for messages, e.g. {@code "claim"}
     * @param source the Lua text, starting with a {@code #!lua} line (Redis 7 script flags)
     * @return the script
     */
    public static @NotNull LuaScript of(@NotNull String name, @NotNull String source) {
        return new LuaScript(Objects.requireNonNull(name, "name"), Objects.requireNonNull(source, "source"));
    }

    /**
     * Returns the short name.
     *
     * @return the short name
     */
    public @NotNull String name() {
        return name;
    }

    /**
     * Returns the Lua text.
     *
     * @return the Lua text
     */
    public @NotNull String source() {
        return source;
    }

    /**
     * Returns the SHA-1 of the text, 40 lower-case hexadecimal digits.
     *
     * @return the SHA-1 of the text
     */
    public @NotNull String sha1() {
        return sha1;
    }

    private static String sha1(String text) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8));
            StringBuilder b = new StringBuilder(40);
            for (byte x : d) {
                b.append(Character.forDigit((x >> 4) & 0xF, 16)).append(Character.forDigit(x & 0xF, 16));
            }
            return b.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is required of every Java platform", e);
        }
    }

    @Override
    public String toString() {
        return "LuaScript[" + name + " " + sha1 + "]";
    }
}
