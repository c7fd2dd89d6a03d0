// Over the usual size on purpose: the whole HTTP protocol of one request (endpoint lookup, key,
// fingerprint, run, and the mapping of every outcome to a status) reads top to bottom in one file;
// the response capture, the envelope and the problem bodies live in their own classes.
package dev.latchkey.spring.web;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import javax.sql.DataSource;

import dev.latchkey.ConcurrencyException;
import dev.latchkey.LockNotAvailableException;
import dev.latchkey.idempotency.Fingerprint;
import dev.latchkey.idempotency.Idempotency;
import dev.latchkey.idempotency.IdempotencyKey;
import dev.latchkey.idempotency.IdempotencyKeyInUseException;
import dev.latchkey.idempotency.IdempotencyKeyReusedException;
import dev.latchkey.idempotency.IdempotencyPolicy;
import dev.latchkey.idempotency.IdempotentResult;
import dev.latchkey.idempotency.LeaseLostException;
import dev.latchkey.idempotency.ResponseCodec;
import dev.latchkey.idempotency.ResponseTooLargeException;
import dev.latchkey.idempotency.ResultNotRecordedException;
import dev.latchkey.jdbc.idempotency.TransactionalIdempotency;
import dev.latchkey.jdbc.internal.JdbcContext;
import dev.latchkey.jdbc.sql.ExternalTransactions;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.Part;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.format.datetime.standard.DurationFormatterUtils;
import org.springframework.http.ProblemDetail;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.ResourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerExecutionChain;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import org.springframework.web.util.ServletRequestPathUtils;

/**
 * HTTP {@code Idempotency-Key} (draft-ietf-httpapi-idempotency-key-header) for Spring MVC handlers
 * annotated {@link Idempotent @Idempotent}: the one servlet filter to register.
 *
 * <pre>{@code
 * @Bean
 * LatchkeyIdempotencyFilter idempotencyFilter(
 *         @Qualifier("requestMappingHandlerMapping") RequestMappingHandlerMapping handlers,
 *         Latchkey latchkey, PlatformTransactionManager transactionManager) {
 *     return LatchkeyIdempotencyFilter.builder(handlers)
 *             .transactional(latchkey.idempotencyStore().transactional(IdempotencyPolicy.defaults()),
 *                            transactionManager)
 *             .build();
 * }
 * }</pre>
 *
 * <h2>What a request to an {@code @Idempotent} handler gets</h2>
 * <ul>
 *   <li>no {@code Idempotency-Key} and the key {@linkplain Idempotent#required() required}: 400;
 *       not required: the handler runs as if it were not annotated;</li>
 *   <li>a malformed key (see {@link IdempotencyKeyHeader}), more than one key field, or a key
 *       longer than {@link HttpIdempotencyPolicy#maxKeyLength()}: 400;</li>
 *   <li>a body larger than {@link HttpIdempotencyPolicy#maxRequestBytes()}: 413;</li>
 *   <li>the first request with a key: the handler runs; its response is sent, and stored when
 *       {@link HttpIdempotencyPolicy#stores(int)} says so (default 2xx and 4xx); otherwise (5xx,
 *       or an exception the handler lets out) the key is released so the client can retry;</li>
 *   <li>a retry after the first completed: the stored status, the
 *       {@linkplain HttpIdempotencyPolicy#replayedHeaders() replayed headers} and body, with
 *       {@code Idempotent-Replayed: true}; the handler does not run;</li>
 *   <li>a retry while the first still runs: 409 with {@code Retry-After}, unless the executor's
 *       policy waits ({@link IdempotencyPolicy.Builder#waitWhenInProgress(Duration)}), then the
 *       replay; in transactional mode the database makes it wait (see below);</li>
 *   <li>the same key with a different request: 422. The fingerprint covers the HTTP method, the
 *       route template, the request path and query, and the body (the raw bytes; for form and
 *       multipart requests, the parameters and each part's name, file name and content);</li>
 *   <li>a response larger than the executor's {@link IdempotencyPolicy#maxResponseBytes()} (the
 *       body plus the replayed headers): 500, key released, never a truncated replay;</li>
 *   <li>a transient database failure (deadlock, serialization failure) around the key: 503 with
 *       {@code Retry-After}, nothing committed.</li>
 * </ul>
 * Every error above is an RFC 9457 {@code application/problem+json} body with a {@code code}
 * member ({@code idempotency-key-missing}, {@code idempotency-key-malformed},
 * {@code request-too-large}, {@code idempotency-key-in-use}, {@code idempotency-lease-lost},
 * {@code idempotency-key-reused}, {@code response-too-large}, {@code transient-failure}).
 *
 * <h2>Keys are the caller's</h2>
 * The stored key is the client's key prefixed by its owner: a hash of
 * {@link HttpServletRequest#getUserPrincipal()}'s name when there is one, a fixed anonymous prefix
 * otherwise, so a key of user A never replays to user B nor to an anonymous caller. Register this
 * filter after authentication (Spring Security's filter chain runs at order -100; this filter's
 * default {@link #getOrder() order} is {@link Ordered#LOWEST_PRECEDENCE}). The scope is
 * {@link Idempotent#scope()}, by default the HTTP method and route template.
 *
 * <h2>Transactional mode</h2>
 * With {@link Builder#transactional}, the filter runs the whole handler, its response included,
 * in one Spring transaction ({@code PROPAGATION_REQUIRED}) of the given manager: the claim of the
 * key, the handler's writes ({@code @Transactional} services join it; so do Latchkey operations and
 * {@code JdbcTemplate}s on the data source) and the stored response commit together, or nothing
 * does. A response that is not stored (5xx) rolls the writes back with the claim; a 4xx in a
 * transaction marked rollback-only (an exception a {@code @Transactional} service threw and an
 * exception handler turned into a 4xx) is stored after the rollback, in a short transaction of its
 * own; a 2xx in a rollback-only transaction fails as Spring fails it
 * ({@code UnexpectedRollbackException}), never a success for writes that did not commit. A
 * duplicate of a request in flight waits on the database's lock of the key's row and then replays
 * (or runs, if the first rolled back): it holds a request thread and a connection meanwhile. Every
 * {@code @Idempotent} request holds one pooled connection from the claim to the commit, the handler
 * and the writing of its response included: size the pool for them. A failure of the commit itself
 * propagates as Spring's exception (the container answers 500; nothing was committed, the client
 * may retry with the key). The Latchkey must join Spring's transactions
 * ({@code LatchkeySpring.latchkey(dataSource)}).
 *
 * <h2>Why a filter</h2>
 * A {@code HandlerInterceptor} sees the handler but cannot wrap it: the claim would happen in
 * {@code preHandle} and the completion in {@code afterCompletion}, with no way to hold one
 * transaction across both or to keep the response from being sent before it is stored. The filter
 * wraps the whole dispatch instead. It looks the handler up in the
 * {@link RequestMappingHandlerMapping} (only for HTTP methods some {@code @Idempotent} handler
 * maps, read once on the first request), so every other request passes through untouched and
 * streaming, without a wrapper or a buffer. Only {@code @Idempotent} requests have their body
 * read into memory (bounded) and their response buffered (bounded) until the outcome is known.
 * Handlers registered after the first request are not seen. Asynchronous handlers
 * ({@code Callable}, {@code DeferredResult}, {@code StreamingResponseBody}) cannot be
 * {@code @Idempotent}: their request fails with {@link IllegalStateException}.
 *
 * <p>Cost per {@code @Idempotent} request: one handler lookup more than the dispatcher's, a
 * SHA-256 of the body, and the executor's statements (one claim, one completion; a replay reads
 * the record). Immutable after construction and thread-safe.
 */
public final class LatchkeyIdempotencyFilter extends OncePerRequestFilter implements Ordered {
    private static final System.Logger LOG = System.getLogger(LatchkeyIdempotencyFilter.class.getName());
    private static final String ANONYMOUS = "a/";
    private static final Set<String> ALL_METHODS = Set.of("*");

    private final RequestMappingHandlerMapping handlers;
    private final Execution execution;
    private final HttpIdempotencyPolicy policy;
    private final ResponseCodec<CapturedResponse> codec;
    private final int order;
    private final Map<Method, Endpoint> endpoints = new ConcurrentHashMap<>();
    /** The HTTP methods of the {@code @Idempotent} handlers, once read (volatile: racing first requests compute the same set). */
    private volatile @Nullable Set<String> idempotentMethods;

    private LatchkeyIdempotencyFilter(Builder b) {
        this.handlers = b.handlers;
        this.execution = Objects.requireNonNull(b.execution,
                "an executor: call Builder.idempotency(..) or Builder.transactional(..)");
        this.policy = b.policy;
        this.codec = CapturedResponse.codec(b.policy);
        this.order = b.order;
    }

    /**
     * Returns a builder of a filter over the application's handler mapping.
     *
     * @param handlers the {@code RequestMappingHandlerMapping} of the {@code @Controller}s (the bean
     *        named {@code requestMappingHandlerMapping})
     * @return a new builder: default {@link HttpIdempotencyPolicy}, order {@link Ordered#LOWEST_PRECEDENCE}
     */
    public static @NotNull Builder builder(@NotNull RequestMappingHandlerMapping handlers) {
        return new Builder(Objects.requireNonNull(handlers, "handlers"));
    }

    /**
     * Returns the HTTP policy.
     *
     * @return the HTTP policy
     */
    public @NotNull HttpIdempotencyPolicy policy() {
        return policy;
    }

    /**
     * Returns whether the claim, the handler's writes and the stored response commit in one transaction.
     *
     * @return whether this filter runs in transactional mode
     */
    public boolean isTransactional() {
        return execution instanceof InTransaction;
    }

    @Override
    public int getOrder() {
        return order;
    }

    @Override
    protected void doFilterInternal(@NotNull HttpServletRequest request, @NotNull HttpServletResponse response,
                                    @NotNull FilterChain chain) throws ServletException, IOException {
        Endpoint endpoint = endpoint(request);
        if (endpoint == null) {
            chain.doFilter(request, response);
            return;
        }
        List<String> fields = Collections.list(request.getHeaders(IdempotencyKeyHeader.NAME));
        if (fields.isEmpty()) {
            if (endpoint.required) {
                problem(request, response, 400, "Idempotency-Key is missing", "This operation is idempotent "
                        + "and requires an Idempotency-Key header.", "idempotency-key-missing");
            } else {
                chain.doFilter(request, response);
            }
            return;
        }
        String clientKey;
        try {
            clientKey = clientKey(fields);
        } catch (IllegalArgumentException e) {
            problem(request, response, 400, "Idempotency-Key is malformed", e.getMessage(),
                    "idempotency-key-malformed");
            return;
        }
        HttpServletRequest body;
        Fingerprint fingerprint;
        try {
            body = form(request) ? request : BufferedRequest.read(request, policy.maxRequestBytes());
            fingerprint = fingerprint(request, body);
        } catch (BufferedRequest.TooLarge e) {
            problem(request, response, 413, "Request too large for an idempotent operation", "The request body "
                    + "is larger than the " + policy.maxRequestBytes() + " bytes an idempotent request may have.",
                    "request-too-large");
            return;
        }
        IdempotencyKey key = IdempotencyKey.of(endpoint.scope(request), owner(request) + clientKey);
        run(endpoint, key, fingerprint, body, request, response, chain);
    }

    private void run(Endpoint endpoint, IdempotencyKey key, Fingerprint fingerprint, HttpServletRequest body,
                     HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        Supplier<CapturedResponse> handler = () -> invoke(key, endpoint, body, response, chain);
        try {
            IdempotentResult<CapturedResponse> result = execution.run(endpoint, key, fingerprint, codec, handler);
            result.value().writeTo(response, result.isReplayed());
        } catch (NotStored e) {
            e.response.writeTo(response, false);
        } catch (Escaped e) {
            e.rethrow();
        } catch (IdempotencyKeyInUseException | LockNotAvailableException e) {
            response.setHeader("Retry-After", Long.toString(policy.retryAfter().getSeconds()));
            problem(request, response, 409, "A request is outstanding for this Idempotency-Key", "A request with "
                    + "the same Idempotency-Key for the same operation is being processed; retry later.",
                    "idempotency-key-in-use");
        } catch (LeaseLostException e) {
            response.setHeader("Retry-After", Long.toString(policy.retryAfter().getSeconds()));
            problem(request, response, 409, "The Idempotency-Key was taken over", "This request outlived its "
                    + "lease and another request with the same Idempotency-Key took over; retry to get its "
                    + "response.", "idempotency-lease-lost");
        } catch (IdempotencyKeyReusedException e) {
            problem(request, response, 422, "Idempotency-Key is already used", "This Idempotency-Key was used "
                    + "with a different request; an Idempotency-Key must not be reused across different "
                    + "requests of this operation.", "idempotency-key-reused");
        } catch (ResponseTooLargeException e) {
            LOG.log(System.Logger.Level.WARNING, "the response of an @Idempotent handler is too large to store: "
                    + e.getMessage());
            problem(request, response, 500, "Response too large to store", "The response is larger than this "
                    + "idempotent operation can store; nothing was recorded.", "response-too-large");
        } catch (ResultNotRecordedException e) {
            // the handler's effects happened; its response is the truth, only the record of it failed
            LOG.log(System.Logger.Level.WARNING, "the response of an @Idempotent handler could not be recorded; "
                    + "its key stays in progress until the lease lapses", e);
            ((CapturedResponse) Objects.requireNonNull(e.result(), "result")).writeTo(response, false);
        } catch (ConcurrencyException e) {
            if (!e.isTransient()) {
                throw e;
            }
            response.setHeader("Retry-After", Long.toString(policy.retryAfter().getSeconds()));
            problem(request, response, 503, "Transient failure", "A transient database conflict stopped this "
                    + "request; nothing was committed. Retry with the same Idempotency-Key.", "transient-failure");
        }
    }

    /** Runs the rest of the chain into a capture, and decides whether its response is stored. */
    private CapturedResponse invoke(IdempotencyKey key, Endpoint endpoint, HttpServletRequest request,
                                    HttpServletResponse response, FilterChain chain) {
        CapturingResponse capture = new CapturingResponse(response, endpoint.policy.maxResponseBytes());
        try {
            chain.doFilter(request, capture);
        } catch (IOException | ServletException e) {
            throw new Escaped(e);
        }
        if (request.isAsyncStarted()) {
            throw new IllegalStateException("an @Idempotent handler must answer synchronously, not with "
                    + "Callable, DeferredResult, StreamingResponseBody or the like: " + endpoint.method);
        }
        if (capture.overflowed()) {
            throw new ResponseTooLargeException(key, (int) Math.min(Integer.MAX_VALUE, capture.bodySize()),
                    endpoint.policy.maxResponseBytes());
        }
        CapturedResponse captured = capture.captured();
        if (!policy.stores(captured.status())) {
            throw new NotStored(captured, false);
        }
        return captured;
    }

    private String clientKey(List<String> fields) {
        if (fields.size() > 1) {
            throw new IllegalArgumentException("more than one Idempotency-Key field: the draft allows one");
        }
        String key = IdempotencyKeyHeader.parse(fields.get(0), policy.acceptBareKeys());
        if (key.length() > policy.maxKeyLength()) {
            throw new IllegalArgumentException("the Idempotency-Key is longer than " + policy.maxKeyLength()
                    + " characters: length=" + key.length());
        }
        return key;
    }

    /** The owner prefix: a hash of the principal's name, or the anonymous prefix. */
    private static String owner(HttpServletRequest request) {
        java.security.Principal principal = request.getUserPrincipal();
        String name = principal == null ? null : principal.getName();
        if (name == null) {
            return ANONYMOUS;
        }
        return "u." + Base64.getUrlEncoder().withoutPadding().encodeToString(sha256(name)) + "/";
    }

    private static boolean form(HttpServletRequest request) {
        String type = request.getContentType();
        if (type == null) {
            return false;
        }
        String t = type.toLowerCase(Locale.ROOT);
        return t.startsWith("application/x-www-form-urlencoded") || t.startsWith("multipart/");
    }

    /** Method, route, path, query and body (or the form's parameters and parts). */
    private static Fingerprint fingerprint(HttpServletRequest request, HttpServletRequest body) throws IOException {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("method", request.getMethod());
        fields.put("route", String.valueOf(request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE)));
        fields.put("path", request.getRequestURI());
        fields.put("query", request.getQueryString());
        if (body instanceof BufferedRequest) {
            fields.put("body", ((BufferedRequest) body).body());
        } else {
            Map<String, Object> parameters = new LinkedHashMap<>();
            request.getParameterMap().forEach((k, v) -> parameters.put(k, List.of(v)));
            fields.put("form", parameters);
            fields.put("parts", parts(request));
        }
        return Fingerprint.ofFields(fields);
    }

    /** Each part's name, file name, content type and content digest; none when the container parses no parts. */
    private static List<Object> parts(HttpServletRequest request) throws IOException {
        String type = request.getContentType();
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("multipart/")) {
            return List.of();
        }
        Collection<Part> parts;
        try {
            parts = request.getParts();
        } catch (ServletException | IllegalStateException e) {
            throw new IllegalStateException("an @Idempotent multipart request needs the container to parse "
                    + "multipart (a MultipartConfigElement on the DispatcherServlet)", e);
        }
        List<Object> out = new ArrayList<>();
        for (Part p : parts) {
            MessageDigest digest = newSha256();
            try (InputStream in = p.getInputStream()) {
                byte[] chunk = new byte[8192];
                int n;
                while ((n = in.read(chunk)) != -1) {
                    digest.update(chunk, 0, n);
                }
            }
            Map<String, Object> part = new LinkedHashMap<>();
            part.put("name", p.getName());
            part.put("file", p.getSubmittedFileName());
            part.put("type", p.getContentType());
            part.put("sha256", digest.digest());
            out.add(part);
        }
        return out;
    }

    // ---- endpoints ------------------------------------------------------------------------

    /** The {@code @Idempotent} endpoint a request goes to, or null (not annotated, no handler, a mapping error). */
    private @Nullable Endpoint endpoint(HttpServletRequest request) {
        Set<String> methods = idempotentMethods;
        if (methods == null) {
            methods = scanMethods();
            idempotentMethods = methods;
        }
        if (methods.isEmpty() || (methods != ALL_METHODS && !methods.contains(request.getMethod()))) {
            return null;
        }
        HandlerMethod handler = handler(request);
        if (handler == null) {
            return null;
        }
        Idempotent idempotent = annotation(handler);
        if (idempotent == null) {
            return null;
        }
        return endpoints.computeIfAbsent(handler.getMethod(), m -> new Endpoint(m, idempotent, execution));
    }

    private Set<String> scanMethods() {
        Set<String> methods = new HashSet<>();
        for (Map.Entry<RequestMappingInfo, HandlerMethod> e : handlers.getHandlerMethods().entrySet()) {
            if (annotation(e.getValue()) == null) {
                continue;
            }
            Set<RequestMethod> mapped = e.getKey().getMethodsCondition().getMethods();
            if (mapped.isEmpty()) {
                return ALL_METHODS;
            }
            for (RequestMethod m : mapped) {
                methods.add(m.name());
                if (m == RequestMethod.GET) {
                    methods.add("HEAD");
                }
            }
        }
        return Set.copyOf(methods);
    }

    private @Nullable HandlerMethod handler(HttpServletRequest request) {
        Object previousPath = request.getAttribute(ServletRequestPathUtils.PATH_ATTRIBUTE);
        try {
            if (handlers.usesPathPatterns()) {
                ServletRequestPathUtils.parseAndCache(request);
            }
            HandlerExecutionChain found = handlers.getHandler(request);
            return found != null && found.getHandler() instanceof HandlerMethod
                    ? (HandlerMethod) found.getHandler() : null;
        } catch (Exception e) {
            return null; // no match, or a method / media type mismatch: the dispatcher answers it
        } finally {
            request.setAttribute(ServletRequestPathUtils.PATH_ATTRIBUTE, previousPath);
        }
    }

    private static @Nullable Idempotent annotation(HandlerMethod handler) {
        Idempotent onMethod = handler.getMethodAnnotation(Idempotent.class);
        return onMethod != null ? onMethod : AnnotatedElementUtils.findMergedAnnotation(handler.getBeanType(),
                Idempotent.class);
    }

    private void problem(HttpServletRequest request, HttpServletResponse response, int status, String title,
                         String detail, String code) throws IOException {
        ProblemDetail p = Problems.of(status, title, detail, code, request);
        Problems.write(response, p);
    }

    static byte[] sha256(String s) {
        return newSha256().digest(s.getBytes(StandardCharsets.UTF_8));
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }

    @Override
    public String toString() {
        return "LatchkeyIdempotencyFilter[" + execution + ", " + policy + "]";
    }

    /** One {@code @Idempotent} handler method: its scope and its executor with the annotation's durations. */
    static final class Endpoint {
        final Method method;
        final boolean required;
        private final @Nullable String scope;
        /** The executor's policy with the annotation's durations. */
        final IdempotencyPolicy policy;
        /** The execution's executor with {@link #policy}. */
        final Object executor;

        Endpoint(Method method, Idempotent idempotent, Execution execution) {
            this.method = method;
            this.required = idempotent.required();
            if (idempotent.scope().isEmpty()) {
                this.scope = null;
            } else {
                try {
                    IdempotencyKey.of(idempotent.scope(), "k");
                } catch (IllegalArgumentException e) {
                    throw new IllegalStateException("bad @Idempotent scope on " + method + ": " + e.getMessage(), e);
                }
                this.scope = idempotent.scope();
            }
            this.policy = derive(execution.policy(), duration(method, "lease", idempotent.lease()),
                    duration(method, "retention", idempotent.retention()), method);
            this.executor = execution.withPolicy(policy);
        }

        private static @Nullable Duration duration(Method method, String what, String value) {
            if (value.isEmpty()) {
                return null;
            }
            try {
                return DurationFormatterUtils.detectAndParse(value);
            } catch (RuntimeException e) {
                throw new IllegalStateException("bad @Idempotent " + what + " on " + method + ": " + what + "='"
                        + value + "' (use e.g. \"30s\", \"5m\", \"24h\" or \"PT30S\")", e);
            }
        }

        /** The annotation's scope, or the HTTP method and route template (hashed when too long). */
        String scope(HttpServletRequest request) {
            if (scope != null) {
                return scope;
            }
            Object route = request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE);
            String s = request.getMethod() + " " + (route != null ? route : method.toGenericString());
            if (s.length() <= IdempotencyKey.MAX_SCOPE_LENGTH && s.chars().allMatch(c -> c >= 0x20 && c <= 0x7E)) {
                return s;
            }
            return request.getMethod() + " #" + Base64.getUrlEncoder().withoutPadding().encodeToString(sha256(s));
        }
    }

    /** Plain or transactional: how an endpoint's request runs under its key. */
    private interface Execution {
        /** The executor's policy. */
        IdempotencyPolicy policy();

        /** The executor with another policy. */
        Object withPolicy(IdempotencyPolicy policy);

        IdempotentResult<CapturedResponse> run(Endpoint endpoint, IdempotencyKey key, Fingerprint fingerprint,
                                               ResponseCodec<CapturedResponse> codec,
                                               Supplier<CapturedResponse> handler);
    }

    /** The executor's policy with the annotation's durations; failures always release the key. */
    private static IdempotencyPolicy derive(IdempotencyPolicy base, @Nullable Duration lease,
                                            @Nullable Duration retention, Method method) {
        IdempotencyPolicy.Builder b = base.toBuilder().releaseOnFailure();
        try {
            if (lease != null) {
                b.lease(lease);
            }
            if (retention != null) {
                b.retention(retention);
            }
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("bad @Idempotent durations on " + method + ": " + e.getMessage(), e);
        }
    }

    /** Any store's executor: the handler runs outside the store's statements. */
    private static final class Plain implements Execution {
        private final Idempotency idempotency;

        Plain(Idempotency idempotency) {
            this.idempotency = idempotency;
        }

        @Override
        public IdempotencyPolicy policy() {
            return idempotency.policy();
        }

        @Override
        public Object withPolicy(IdempotencyPolicy policy) {
            return idempotency.withPolicy(policy);
        }

        @Override
        public IdempotentResult<CapturedResponse> run(Endpoint endpoint, IdempotencyKey key, Fingerprint fingerprint,
                                                      ResponseCodec<CapturedResponse> codec,
                                                      Supplier<CapturedResponse> handler) {
            return ((Idempotency) endpoint.executor).execute(key, fingerprint, codec, handler);
        }

        @Override
        public String toString() {
            return "plain " + idempotency;
        }
    }

    /** The claim, the handler's writes and the stored response in one Spring transaction. */
    private static final class InTransaction implements Execution {
        private final TransactionalIdempotency idempotency;
        private final TransactionTemplate transactions;

        InTransaction(TransactionalIdempotency idempotency, PlatformTransactionManager manager) {
            JdbcContext context = idempotency.store().context();
            ExternalTransactions external = context.external();
            if (external == ExternalTransactions.NONE) {
                throw new IllegalArgumentException("the transactional idempotency's Latchkey does not join Spring's "
                        + "transactions: build it with LatchkeySpring.latchkey(dataSource)");
            }
            if (manager instanceof ResourceTransactionManager
                    && ((ResourceTransactionManager) manager).getResourceFactory() instanceof DataSource) {
                DataSource managed = (DataSource) ((ResourceTransactionManager) manager).getResourceFactory();
                if (external.unwrap(managed) != context.key()) {
                    throw new IllegalArgumentException("the transaction manager manages another data source than "
                            + "the idempotency store's: manager=" + managed + ", store=" + context.dataSource());
                }
            }
            this.idempotency = idempotency;
            this.transactions = new TransactionTemplate(manager);
            this.transactions.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRED);
        }

        @Override
        public IdempotencyPolicy policy() {
            return idempotency.policy();
        }

        @Override
        public Object withPolicy(IdempotencyPolicy policy) {
            return idempotency.withPolicy(policy);
        }

        @Override
        public IdempotentResult<CapturedResponse> run(Endpoint endpoint, IdempotencyKey key, Fingerprint fingerprint,
                                                      ResponseCodec<CapturedResponse> codec,
                                                      Supplier<CapturedResponse> handler) {
            TransactionalIdempotency executor = (TransactionalIdempotency) endpoint.executor;
            try {
                return transactions.execute(status -> executor.execute(key, fingerprint, codec, c -> {
                    CapturedResponse response = handler.get();
                    boolean success = response.status() < 400;
                    if (status.isRollbackOnly() && !success) {
                        throw new NotStored(response, true);
                    }
                    return response; // a success in a rollback-only transaction: the commit fails it
                }));
            } catch (NotStored e) {
                if (e.storeAfterRollback) {
                    storeAfterRollback(executor, key, fingerprint, codec, e.response);
                }
                throw e;
            }
        }

        /** Stores a response whose transaction rolled back; a request that claimed the key meanwhile wins. */
        private void storeAfterRollback(TransactionalIdempotency executor, IdempotencyKey key, Fingerprint fingerprint,
                                        ResponseCodec<CapturedResponse> codec, CapturedResponse response) {
            try {
                transactions.execute(status -> executor.execute(key, fingerprint, codec, c -> response));
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "could not store the response of a rolled-back @Idempotent "
                        + "request; a retry with its key runs the handler again", e);
            }
        }

        @Override
        public String toString() {
            return "transactional " + idempotency;
        }
    }

    /** A response that is sent but not stored: the key is released (rolled back). */
    private static final class NotStored extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final transient CapturedResponse response;
        final boolean storeAfterRollback;

        NotStored(CapturedResponse response, boolean storeAfterRollback) {
            super("response " + response.status() + " not stored", null, false, false);
            this.response = response;
            this.storeAfterRollback = storeAfterRollback;
        }
    }

    /** A checked exception of the filter chain, carried through the executor's {@code Supplier}. */
    private static final class Escaped extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Escaped(Exception cause) {
            super(cause.getMessage(), cause, false, false);
        }

        void rethrow() throws IOException, ServletException {
            if (getCause() instanceof IOException) {
                throw (IOException) getCause();
            }
            throw (ServletException) getCause();
        }
    }

    /** Builds a {@link LatchkeyIdempotencyFilter}. Not thread-safe. */
    public static final class Builder {
        private final RequestMappingHandlerMapping handlers;
        private @Nullable Execution execution;
        private HttpIdempotencyPolicy policy = HttpIdempotencyPolicy.defaults();
        private int order = Ordered.LOWEST_PRECEDENCE;

        private Builder(RequestMappingHandlerMapping handlers) {
            this.handlers = handlers;
        }

        /**
         * Runs each request under the key with an executor of any store (in-memory, JDBC, Redis):
         * the handler runs outside the store's statements, so a crash between the handler and the
         * recording of its response leaves the key in progress until the lease lapses, and the
         * retry after that runs the handler again. The executor's policy gives the lease, retention,
         * in-progress wait and response size limit; its failure codec is ignored (which responses
         * are stored is {@link HttpIdempotencyPolicy}'s).
         *
         * @param idempotency the executor, e.g. {@code store.executor(IdempotencyPolicy.defaults())}
         * @return this builder
         */
        public @NotNull Builder idempotency(@NotNull Idempotency idempotency) {
            this.execution = new Plain(Objects.requireNonNull(idempotency, "idempotency"));
            return this;
        }

        /**
         * Runs each request, the handler and its response included, in one transaction of the
         * manager together with the key (see the class comment). The executor's policy gives the
         * lease, retention and response size limit; its in-progress wait does not apply (the
         * database makes a duplicate wait).
         *
         * @param idempotency the JDBC store's transactional executor, of a Latchkey that joins
         *        Spring's transactions ({@code LatchkeySpring.latchkey(dataSource)})
         * @param manager the transaction manager of the same data source
         * @return this builder
         * @throws IllegalArgumentException if the Latchkey does not join Spring's transactions, or
         *         the manager manages another data source
         */
        public @NotNull Builder transactional(@NotNull TransactionalIdempotency idempotency,
                                              @NotNull PlatformTransactionManager manager) {
            this.execution = new InTransaction(Objects.requireNonNull(idempotency, "idempotency"),
                    Objects.requireNonNull(manager, "manager"));
            return this;
        }

        /**
         * Sets the HTTP policy.
         *
         * @param policy the policy
         * @return this builder
         */
        public @NotNull Builder policy(@NotNull HttpIdempotencyPolicy policy) {
            this.policy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /**
         * Sets the filter's order (for Spring Boot's registration): after authentication, so the
         * principal scopes the keys.
         *
         * @param order the order
         * @return this builder
         */
        public @NotNull Builder order(int order) {
            this.order = order;
            return this;
        }

        /**
         * Builds the filter.
         *
         * @return the filter
         * @throws NullPointerException if no executor was given
         */
        public @NotNull LatchkeyIdempotencyFilter build() {
            return new LatchkeyIdempotencyFilter(this);
        }
    }
}
