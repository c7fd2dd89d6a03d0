package dev.latchkey.redis;

import java.util.function.Function;

import org.jetbrains.annotations.Nullable;

/**
 * Reads the settings of a {@link DurabilityReport}: {@code INFO server}, {@code INFO memory} and
 * {@code INFO persistence} first (rarely disabled), and {@code CONFIG GET} for what {@code INFO}
 * does not show (the RDB {@code save} setting) or when {@code INFO} is refused. Any of them may
 * fail; the setting is then unknown.
 */
final class DurabilityProbe {
    private DurabilityProbe() {
    }

    /**
     * Reads the report.
     *
     * @param info one section of {@code INFO} by name; may throw
     * @param configGet one {@code CONFIG GET} parameter's value (null if unknown); may throw
     * @return the report
     */
    static DurabilityReport inspect(Function<String, String> info, Function<String, String> configGet) {
        String server = quietly(info, "server");
        String memory = quietly(info, "memory");
        String persistence = quietly(info, "persistence");
        String version = field(server, "redis_version");
        String policy = field(memory, "maxmemory_policy");
        if (policy == null) {
            policy = quietly(configGet, "maxmemory-policy");
        }
        String aof = field(persistence, "aof_enabled");
        if (aof == null) {
            aof = quietly(configGet, "appendonly");
        }
        Boolean appendOnly = aof == null ? null : aof.equals("1") || aof.equalsIgnoreCase("yes");
        String save = quietly(configGet, "save");
        return DurabilityReport.of(version, policy, appendOnly, save);
    }

    /**
     * The major and minor version, e.g. 70 for {@code 7.0.15}, or -1 if unknown.
     *
     * @param version {@code redis_version}, or null
     * @return the version as {@code major * 10 + minor}, or -1
     */
    static int majorMinor(@Nullable String version) {
        if (version == null) {
            return -1;
        }
        String[] parts = version.split("\\.");
        try {
            return Integer.parseInt(parts[0]) * 10 + (parts.length > 1 ? Math.min(9, Integer.parseInt(parts[1])) : 0);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static @Nullable String quietly(Function<String, String> read, String name) {
        try {
            return read.apply(name);
        } catch (RuntimeException disabledOrRefused) {
            return null;
        }
    }

    private static @Nullable String field(@Nullable String infoText, String name) {
        if (infoText == null) {
            return null;
        }
        for (String line : infoText.split("\r?\n")) {
            if (line.startsWith(name + ":")) {
                return line.substring(name.length() + 1).trim();
            }
        }
        return null;
    }
}
