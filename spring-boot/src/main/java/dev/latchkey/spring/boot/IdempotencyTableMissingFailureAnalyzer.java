package dev.latchkey.spring.boot;

import org.jetbrains.annotations.NotNull;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Reports a missing idempotency table at start-up ({@link IdempotencyTableMissingException}) as
 * Boot's "APPLICATION FAILED TO START" description and action, with the DDL for the database.
 * Registered in {@code META-INF/spring.factories}.
 */
public final class IdempotencyTableMissingFailureAnalyzer
        extends AbstractFailureAnalyzer<IdempotencyTableMissingException> {

    /** Creates the analyzer (Boot does, from {@code spring.factories}). */
    public IdempotencyTableMissingFailureAnalyzer() {
    }

    @Override
    protected @NotNull FailureAnalysis analyze(@NotNull Throwable rootFailure,
                                               @NotNull IdempotencyTableMissingException cause) {
        String description = "Latchkey's idempotency table '" + cause.table() + "' does not exist in the "
                + "application's database (" + cause.database() + "), and latchkey.idempotency.create-table "
                + "is false, so Latchkey did not create it.";
        StringBuilder action = new StringBuilder()
                .append("Do one of:\n")
                .append("  - create the table with your schema migrations; on ").append(cause.database())
                .append(" the statements are:\n\n");
        for (String statement : cause.ddl()) {
            action.append(statement.strip()).append(";\n\n");
        }
        action.append("  - set latchkey.idempotency.create-table=true to let Latchkey create it at start-up;\n")
                .append("  - set latchkey.idempotency.table to the name of the table you created;\n")
                .append("  - set latchkey.idempotency.enabled=false if the application uses no idempotency store.");
        return new FailureAnalysis(description, action.toString(), cause);
    }
}
