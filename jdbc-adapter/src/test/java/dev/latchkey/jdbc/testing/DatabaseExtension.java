package dev.latchkey.jdbc.testing;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.Extension;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestTemplateInvocationContext;
import org.junit.jupiter.api.extension.TestTemplateInvocationContextProvider;

/** Backs {@link DatabaseTest}: one invocation per database, with a fresh {@link TestDatabase}. */
public final class DatabaseExtension implements TestTemplateInvocationContextProvider {

    @Override
    public boolean supportsTestTemplate(ExtensionContext context) {
        return context.getTestMethod().map(m -> m.isAnnotationPresent(DatabaseTest.class)).orElse(false);
    }

    @Override
    public Stream<TestTemplateInvocationContext> provideTestTemplateInvocationContexts(ExtensionContext context) {
        Method m = context.getRequiredTestMethod();
        DbKind[] wanted = m.getAnnotation(DatabaseTest.class).value();
        Set<DbKind> kinds = wanted.length == 0 ? EnumSet.allOf(DbKind.class) : EnumSet.copyOf(Arrays.asList(wanted));
        return kinds.stream().map(Invocation::new);
    }

    private static final class Invocation implements TestTemplateInvocationContext {
        private final DbKind kind;

        Invocation(DbKind kind) {
            this.kind = kind;
        }

        @Override
        public String getDisplayName(int invocationIndex) {
            return "[" + kind.id() + "]";
        }

        @Override
        public List<Extension> getAdditionalExtensions() {
            return List.of(new PerInvocation(kind));
        }
    }

    private static final class PerInvocation implements BeforeEachCallback, AfterEachCallback, ParameterResolver {
        private final DbKind kind;
        private TestDatabase db;

        PerInvocation(DbKind kind) {
            this.kind = kind;
        }

        @Override
        public void beforeEach(ExtensionContext context) {
            DatabaseServers.Availability a = DatabaseServers.availability(kind);
            if (!a.available()) {
                if (DatabaseServers.inCi()) {
                    throw new AssertionError(kind.id() + " is required in CI (CI=true) but unavailable: " + a.reason());
                }
                Assumptions.abort(kind.id() + " skipped: " + a.reason());
            }
            db = new TestDatabase(a.server());
        }

        @Override
        public void afterEach(ExtensionContext context) {
            if (db != null) {
                db.cleanUp();
            }
        }

        @Override
        public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
            return p.getParameter().getType() == TestDatabase.class || p.getParameter().getType() == DbKind.class;
        }

        @Override
        public Object resolveParameter(ParameterContext p, ExtensionContext e) {
            if (p.getParameter().getType() == DbKind.class) {
                return kind;
            }
            if (db == null) {
                // parameters are resolved after beforeEach; reaching here means the database was skipped
                throw new IllegalStateException(kind.id() + " is not available");
            }
            return db;
        }
    }
}
