package dev.latchkey.spring.web;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

/**
 * The RFC 9457 {@code application/problem+json} responses of the idempotency layer, built as
 * Spring {@link ProblemDetail}s and written by hand (a few string fields: no JSON library is
 * needed, and none of the application's message converters can reach a servlet filter). Each
 * carries a {@code code} member naming the case, so a client tells an idempotency 409 from one of
 * the application's. Stateless.
 */
final class Problems {
    static final String MEDIA_TYPE = "application/problem+json";
    private static final URI ABOUT_BLANK = URI.create("about:blank");

    private Problems() {
    }

    static ProblemDetail of(int status, String title, String detail, String code, HttpServletRequest request) {
        ProblemDetail p = ProblemDetail.forStatusAndDetail(HttpStatus.valueOf(status), detail);
        p.setType(ABOUT_BLANK); // Spring 6 defaults to it, Spring 7 leaves it null: the same body on both
        p.setTitle(title);
        try {
            p.setInstance(URI.create(request.getRequestURI()));
        } catch (IllegalArgumentException e) {
            // a request URI a lenient container accepted but java.net.URI does not: no instance member
        }
        p.setProperty("code", code);
        return p;
    }

    static void write(HttpServletResponse response, ProblemDetail problem) throws IOException {
        response.resetBuffer();
        response.setStatus(problem.getStatus());
        response.setContentType(MEDIA_TYPE);
        response.setHeader("Content-Language", "en");
        byte[] json = json(problem).getBytes(StandardCharsets.UTF_8);
        response.setContentLength(json.length);
        response.getOutputStream().write(json);
        response.flushBuffer();
    }

    /** The JSON object of a problem: its standard members and its string or number properties. */
    static String json(ProblemDetail p) {
        StringBuilder b = new StringBuilder(256).append('{');
        if (p.getType() != null) {
            member(b, "type", p.getType().toString());
        }
        member(b, "title", p.getTitle());
        b.append(",\"status\":").append(p.getStatus());
        member(b, "detail", p.getDetail());
        if (p.getInstance() != null) {
            member(b, "instance", p.getInstance().toString());
        }
        Map<String, Object> properties = p.getProperties();
        if (properties != null) {
            properties.forEach((k, v) -> {
                if (v instanceof Number) {
                    b.append(",\"").append(escape(k)).append("\":").append(v);
                } else if (v != null) {
                    member(b, k, v.toString());
                }
            });
        }
        return b.append('}').toString();
    }

    private static void member(StringBuilder b, String name, String value) {
        if (value == null) {
            return;
        }
        if (b.length() > 1) {
            b.append(',');
        }
        b.append('"').append(escape(name)).append("\":\"").append(escape(value)).append('"');
    }

    static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x2028 || c == 0x2029) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
    }
}
