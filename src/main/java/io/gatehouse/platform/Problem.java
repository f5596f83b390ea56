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

    /** One invalid field: its JSON path in snake_case ({@code scopes[1]}) and what is wrong with it. */
    public record FieldError(String field, String message) {
    }
}
