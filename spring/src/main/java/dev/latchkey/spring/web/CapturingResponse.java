// Over the usual size on purpose: a response wrapper must override every method that would touch
// the real response, and most of them are one line.
package dev.latchkey.spring.web;

import java.io.ByteArrayOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import org.jetbrains.annotations.Nullable;

/**
 * Holds everything the handler writes (status, headers, cookies, body, an error or a redirect)
 * instead of sending it, so the filter can store it, send it, or discard it for a problem
 * response once the idempotency outcome (and the transaction) is known. The real response is
 * untouched until {@link CapturedResponse#writeTo}. The body is kept up to a limit; past it, the
 * bytes are counted and dropped ({@link #overflowed()}), so a huge response cannot exhaust the
 * heap. One request's thread only.
 */
final class CapturingResponse extends HttpServletResponseWrapper {
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

    private final int maxBodyBytes;
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private long bodySize;
    /** Header name (as first set) to values; looked up ignoring case. */
    private final Map<String, List<String>> headers = new LinkedHashMap<>();
    private final List<Cookie> cookies = new ArrayList<>();
    private int status = SC_OK;
    private @Nullable String contentType;
    private @Nullable String characterEncoding;
    private boolean error;
    private @Nullable String errorMessage;
    private boolean committed;
    private @Nullable ServletOutputStream stream;
    private @Nullable PrintWriter writer;

    CapturingResponse(HttpServletResponse response, int maxBodyBytes) {
        super(response);
        this.maxBodyBytes = maxBodyBytes;
    }

    /** What was captured; flushes a writer first. */
    CapturedResponse captured() {
        if (writer != null) {
            writer.flush();
        }
        Map<String, List<String>> copy = new LinkedHashMap<>();
        headers.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        return new CapturedResponse(status, contentType(), copy, List.copyOf(cookies), body.toByteArray(), error,
                errorMessage);
    }

    /** Whether the body outgrew the limit (its bytes past the limit were dropped). */
    boolean overflowed() {
        return bodySize > maxBodyBytes;
    }

    /** The body's full size, counting the dropped bytes. */
    long bodySize() {
        return bodySize;
    }

    private @Nullable String contentType() {
        if (contentType == null) {
            return null;
        }
        if (characterEncoding != null && !contentType.toLowerCase(Locale.ROOT).contains("charset=")) {
            return contentType + ";charset=" + characterEncoding;
        }
        return contentType;
    }

    private void write(byte[] b, int off, int len) {
        long room = maxBodyBytes - body.size();
        if (room > 0) {
            body.write(b, off, (int) Math.min(room, len));
        }
        bodySize += len;
    }

    // ---- status -------------------------------------------------------------------------

    @Override
    public void setStatus(int sc) {
        if (!committed) {
            this.status = sc;
        }
    }

    @Override
    public int getStatus() {
        return status;
    }

    @Override
    public void sendError(int sc, String msg) {
        checkNotCommitted();
        resetBuffer();
        this.status = sc;
        this.error = true;
        this.errorMessage = msg;
        this.committed = true;
    }

    @Override
    public void sendError(int sc) {
        sendError(sc, null);
    }

    @Override
    public void sendRedirect(String location) {
        sendRedirect(location, SC_FOUND, true);
    }

    @Override
    public void sendRedirect(String location, boolean clearBuffer) {
        sendRedirect(location, SC_FOUND, clearBuffer);
    }

    @Override
    public void sendRedirect(String location, int sc) {
        sendRedirect(location, sc, true);
    }

    @Override
    public void sendRedirect(String location, int sc, boolean clearBuffer) {
        checkNotCommitted();
        if (clearBuffer) {
            resetBuffer();
        }
        this.status = sc;
        setHeader("Location", location);
        this.committed = true;
    }

    private void checkNotCommitted() {
        if (committed) {
            throw new IllegalStateException("the response is already committed");
        }
    }

    // ---- headers ------------------------------------------------------------------------

    private @Nullable String existing(String name) {
        for (String k : headers.keySet()) {
            if (k.equalsIgnoreCase(name)) {
                return k;
            }
        }
        return null;
    }

    @Override
    public void setHeader(String name, String value) {
        if (committed || name == null) {
            return;
        }
        if (special(name, value)) {
            return;
        }
        String k = existing(name);
        if (k != null) {
            headers.remove(k);
        }
        if (value != null) {
            List<String> values = new ArrayList<>(1);
            values.add(value);
            headers.put(name, values);
        }
    }

    @Override
    public void addHeader(String name, String value) {
        if (committed || name == null || value == null) {
            return;
        }
        if (special(name, value)) {
            return;
        }
        String k = existing(name);
        headers.computeIfAbsent(k == null ? name : k, n -> new ArrayList<>(1)).add(value);
    }

    /** Content-Type and Content-Length set as headers go where their setters put them. */
    private boolean special(String name, @Nullable String value) {
        if (name.equalsIgnoreCase("Content-Type")) {
            setContentType(value);
            return true;
        }
        return name.equalsIgnoreCase("Content-Length"); // computed when the response is written
    }

    @Override
    public void setIntHeader(String name, int value) {
        setHeader(name, Integer.toString(value));
    }

    @Override
    public void addIntHeader(String name, int value) {
        addHeader(name, Integer.toString(value));
    }

    @Override
    public void setDateHeader(String name, long date) {
        setHeader(name, HTTP_DATE.format(Instant.ofEpochMilli(date)));
    }

    @Override
    public void addDateHeader(String name, long date) {
        addHeader(name, HTTP_DATE.format(Instant.ofEpochMilli(date)));
    }

    @Override
    public boolean containsHeader(String name) {
        return existing(name) != null || (name.equalsIgnoreCase("Content-Type") && contentType != null);
    }

    @Override
    public String getHeader(String name) {
        if (name.equalsIgnoreCase("Content-Type")) {
            return contentType();
        }
        String k = existing(name);
        return k == null ? null : headers.get(k).get(0);
    }

    @Override
    public Collection<String> getHeaders(String name) {
        if (name.equalsIgnoreCase("Content-Type")) {
            return contentType == null ? List.of() : List.of(contentType());
        }
        String k = existing(name);
        return k == null ? List.of() : List.copyOf(headers.get(k));
    }

    @Override
    public Collection<String> getHeaderNames() {
        List<String> names = new ArrayList<>(headers.keySet());
        if (contentType != null) {
            names.add("Content-Type");
        }
        return names;
    }

    @Override
    public void addCookie(Cookie cookie) {
        if (!committed) {
            cookies.add(cookie);
        }
    }

    @Override
    public void setContentType(String type) {
        if (committed) {
            return;
        }
        if (type == null) {
            contentType = null;
            return;
        }
        int charset = type.toLowerCase(Locale.ROOT).indexOf("charset=");
        if (charset >= 0) {
            String cs = type.substring(charset + "charset=".length()).split(";", 2)[0].strip().replace("\"", "");
            if (!cs.isEmpty() && writer == null) {
                characterEncoding = cs;
            }
        }
        contentType = type;
    }

    @Override
    public String getContentType() {
        return contentType();
    }

    @Override
    public void setCharacterEncoding(String charset) {
        if (!committed && writer == null) {
            characterEncoding = charset;
        }
    }

    @Override
    public String getCharacterEncoding() {
        return characterEncoding != null ? characterEncoding : StandardCharsets.ISO_8859_1.name();
    }

    @Override
    public void setLocale(Locale locale) {
        if (locale != null) {
            setHeader("Content-Language", locale.toLanguageTag());
        }
    }

    @Override
    public void setContentLength(int len) {
        // computed from the captured body when written
    }

    @Override
    public void setContentLengthLong(long len) {
        // computed from the captured body when written
    }

    // ---- body ---------------------------------------------------------------------------

    @Override
    public ServletOutputStream getOutputStream() {
        if (writer != null) {
            throw new IllegalStateException("getWriter() has already been called");
        }
        if (stream == null) {
            stream = new ServletOutputStream() {
                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setWriteListener(WriteListener listener) {
                    throw new UnsupportedOperationException("an @Idempotent response is written synchronously");
                }

                @Override
                public void write(int b) {
                    CapturingResponse.this.write(new byte[] {(byte) b}, 0, 1);
                }

                @Override
                public void write(byte[] b, int off, int len) {
                    CapturingResponse.this.write(b, off, len);
                }
            };
        }
        return stream;
    }

    @Override
    public PrintWriter getWriter() {
        if (writer == null) {
            if (stream != null) {
                throw new IllegalStateException("getOutputStream() has already been called");
            }
            ServletOutputStream out = getOutputStream();
            stream = null;
            writer = new PrintWriter(new OutputStreamWriter(out, Charset.forName(getCharacterEncoding())), false);
        }
        return writer;
    }

    @Override
    public void flushBuffer() {
        if (writer != null) {
            writer.flush();
        }
    }

    @Override
    public boolean isCommitted() {
        return committed;
    }

    @Override
    public void resetBuffer() {
        checkNotCommitted();
        if (writer != null) {
            writer.flush();
        }
        body.reset();
        bodySize = 0;
    }

    @Override
    public void reset() {
        resetBuffer();
        headers.clear();
        cookies.clear();
        status = SC_OK;
        contentType = null;
        characterEncoding = null;
    }

    @Override
    public void setBufferSize(int size) {
        // everything is buffered until the outcome is known
    }
}
