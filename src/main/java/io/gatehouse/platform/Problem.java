package io.gatehouse.platform;

import java.util.List;

/**
 * An RFC 7807 problem document. {@code type} is a stable URN per kind of problem; {@code errors} lists
 * field-level validation failures; {@code attempt_id} joins a refused sign-in to its row in the login
 * attempt log; nothing here ever carries an exception class or message.
 */
public record Problem(String type, String title, int status, String detail, List<FieldError> errors, String attemptId) {

    /** The media type of every error the API returns. */
    public static final String MEDIA_TYPE = "application/problem+json";

    /**
     * This problem (without field errors or attempt) as JSON text, for answers written outside the REST
     * layer (Vert.x routes: rate limits, body limits, outages), shaped as the REST layer writes it.
     */
    public String toJson() {
        return new io.vertx.core.json.JsonObject().put("type", type).put("title", title).put("status", status)
                .put("detail", detail).encode();
    }

    /** One invalid field: its JSON path in snake_case ({@code scopes[1]}) and what is wrong with it. */
    public record FieldError(String field, String message) {
    }
}
