package dev.latchkey.spring.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.latchkey.idempotency.ResponseCodec;
import dev.latchkey.idempotency.StoredResponse;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletResponse;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/**
 * A response a handler wrote (or one replayed from the store): status, content type, headers,
 * cookies, body, and whether it was {@code sendError} (whose body the container renders in its
 * error dispatch, so a replay calls {@code sendError} again). Immutable apart from the cookies,
 * which are never stored.
 *
 * @param status the status
 * @param contentType the content type, or null
 * @param headers the headers but Content-Type and Content-Length
 * @param cookies the cookies (sent fresh, never stored)
 * @param body the body
 * @param error whether the handler called {@code sendError}
 * @param errorMessage the {@code sendError} message, or null
 */
record CapturedResponse(int status, @Nullable String contentType, Map<String, List<String>> headers,
                        List<Cookie> cookies, byte[] body, boolean error, @Nullable String errorMessage) {

    /** The first bytes of every stored envelope: "LKH" and the format's version. */
    private static final byte[] MAGIC = {'L', 'K', 'H', 1};

    /**
     * Sends this response on the real one.
     *
     * @param response the real response, not committed
     * @param replayed whether to mark it {@code Idempotent-Replayed: true}
     */
    void writeTo(HttpServletResponse response, boolean replayed) throws IOException {
        response.resetBuffer();
        headers.forEach((name, values) -> {
            boolean first = true;
            for (String v : values) {
                if (first) {
                    response.setHeader(name, v);
                    first = false;
                } else {
                    response.addHeader(name, v);
                }
            }
        });
        for (Cookie c : cookies) {
            response.addCookie(c);
        }
        if (replayed) {
            response.setHeader(IdempotencyKeyHeader.REPLAYED, "true");
        }
        if (error) {
            if (errorMessage != null) {
                response.sendError(status, errorMessage);
            } else {
                response.sendError(status);
            }
            return;
        }
        response.setStatus(status);
        if (contentType != null) {
            response.setContentType(contentType);
        }
        response.setContentLength(body.length);
        if (body.length > 0) {
            response.getOutputStream().write(body);
        }
        response.flushBuffer();
    }

    /**
     * The codec that stores a captured response as a {@link StoredResponse}: its status, its
     * content type (when it fits the column), and as body an envelope of the replayed headers, the
     * {@code sendError} marker and message, and the body. A stored response without the envelope
     * (written by other code under the same scope) is replayed as its status, content type and body.
     *
     * @param policy which headers are stored
     * @return the codec
     */
    static ResponseCodec<CapturedResponse> codec(HttpIdempotencyPolicy policy) {
        return new ResponseCodec<>() {
            @Override
            public @NotNull StoredResponse encode(CapturedResponse value) {
                return value.toStored(policy);
            }

            @Override
            public CapturedResponse decode(@NotNull StoredResponse response) {
                return fromStored(response);
            }
        };
    }

    StoredResponse toStored(HttpIdempotencyPolicy policy) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + 64);
        out.writeBytes(MAGIC);
        out.write(error ? 1 : 0);
        text(out, errorMessage);
        Map<String, List<String>> kept = new LinkedHashMap<>();
        if (contentType != null && policy.replays("Content-Type")) {
            kept.put("Content-Type", List.of(contentType));
        }
        headers.forEach((name, values) -> {
            if (policy.replays(name)) {
                kept.put(name, values);
            }
        });
        int count = kept.values().stream().mapToInt(List::size).sum();
        number(out, count);
        kept.forEach((name, values) -> values.forEach(v -> {
            text(out, name);
            text(out, v);
        }));
        out.writeBytes(body);
        return StoredResponse.of(status, fitsColumn(contentType) ? contentType : null, out.toByteArray());
    }

    static CapturedResponse fromStored(StoredResponse stored) {
        byte[] all = stored.body();
        if (all.length < MAGIC.length + 1 || !startsWithMagic(all)) {
            Map<String, List<String>> none = Map.of();
            return new CapturedResponse(stored.status(), stored.contentType(), none, List.of(), all, false, null);
        }
        ByteBuffer in = ByteBuffer.wrap(all, MAGIC.length, all.length - MAGIC.length);
        boolean error = in.get() == 1;
        String message = text(in);
        int count = in.getInt();
        String contentType = null;
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            String name = text(in);
            String value = text(in);
            if ("Content-Type".equalsIgnoreCase(name)) {
                contentType = value;
            } else {
                headers.computeIfAbsent(name, n -> new java.util.ArrayList<>(1)).add(value);
            }
        }
        byte[] body = new byte[in.remaining()];
        in.get(body);
        return new CapturedResponse(stored.status(), contentType, headers, List.of(), body, error, message);
    }

    private static boolean startsWithMagic(byte[] b) {
        for (int i = 0; i < MAGIC.length; i++) {
            if (b[i] != MAGIC[i]) {
                return false;
            }
        }
        return true;
    }

    private static boolean fitsColumn(@Nullable String contentType) {
        return contentType != null && !contentType.isEmpty()
                && contentType.length() <= StoredResponse.MAX_CONTENT_TYPE_LENGTH
                && contentType.chars().allMatch(c -> c >= 0x20 && c <= 0x7E);
    }

    private static void number(ByteArrayOutputStream out, int n) {
        out.write(n >>> 24);
        out.write(n >>> 16);
        out.write(n >>> 8);
        out.write(n);
    }

    private static void text(ByteArrayOutputStream out, @Nullable String s) {
        if (s == null) {
            number(out, -1);
            return;
        }
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        number(out, b.length);
        out.writeBytes(b);
    }

    private static @Nullable String text(ByteBuffer in) {
        int n = in.getInt();
        if (n < 0) {
            return null;
        }
        byte[] b = new byte[n];
        in.get(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "CapturedResponse[" + status + (error ? " (sendError)" : "") + ", " + contentType + ", " + body.length
                + " bytes]";
    }
}
