package io.gatehouse.platform;

import java.util.List;

/**
 * A failure the API reports as problem+json. Services throw it with a message meant for the caller;
 * internal reasons stay in logs and the login attempt log.
 */
public class ApiException extends RuntimeException {

    private final int status;
    private final String slug;
    private final String title;
    private final List<Problem.FieldError> errors;
    private final String attemptId;
    private Long retryAfterSeconds;

    private ApiException(int status, String slug, String title, String detail, List<Problem.FieldError> errors) {
        this(status, slug, title, detail, errors, null);
    }

    private ApiException(int status, String slug, String title, String detail, List<Problem.FieldError> errors,
                         String attemptId) {
        super(detail, null, false, false);
        this.status = status;
        this.slug = slug;
        this.title = title;
        this.errors = List.copyOf(errors);
        this.attemptId = attemptId;
    }

    /** A refused sign-in: a generic public message, joined to the logged reason by the attempt id. */
    public static ApiException loginRefused(int status, String slug, String detail, java.util.UUID attemptId) {
        return new ApiException(status, slug, status == 401 ? "Unauthorized" : "Forbidden", detail, List.of(),
                attemptId.toString());
    }

    public static ApiException validation(List<Problem.FieldError> errors) {
        List<Problem.FieldError> sorted = errors.stream()
                .sorted(java.util.Comparator.comparing(Problem.FieldError::field)).toList();
        return new ApiException(400, "validation", "Invalid request",
                "One or more fields are invalid; see errors.", sorted);
    }

    /** Bean Validation's violations as field errors: snake_case field names, sorted by field and message. */
    public static ApiException violations(java.util.Set<? extends jakarta.validation.ConstraintViolation<?>> violations) {
        return validation(violations.stream()
                .map(v -> new Problem.FieldError(ProblemMapper.fieldOf(v), v.getMessage()))
                .sorted(java.util.Comparator.comparing(Problem.FieldError::field).thenComparing(Problem.FieldError::message))
                .toList());
    }

    public static ApiException invalidField(String field, String message) {
        return validation(List.of(new Problem.FieldError(field, message)));
    }

    public static ApiException badRequest(String detail) {
        return new ApiException(400, "bad-request", "Bad request", detail, List.of());
    }

    public static ApiException unauthorized(String detail) {
        return new ApiException(401, "unauthorized", "Unauthorized", detail, List.of());
    }

    public static ApiException forbidden(String detail) {
        return new ApiException(403, "forbidden", "Forbidden", detail, List.of());
    }

    /** Also used for another org's things, so their existence is not revealed. */
    public static ApiException notFound(String what) {
        return new ApiException(404, "not-found", "Not found", what + " was not found.", List.of());
    }

    public static ApiException conflict(String detail) {
        return new ApiException(409, "conflict", "Conflict", detail, List.of());
    }

    /** The request is well-formed but the current state does not allow it. */
    public static ApiException unprocessable(String slug, String detail) {
        return new ApiException(422, slug, "Not possible now", detail, List.of());
    }

    /** A refused sign-in that may be tried again after {@code retryAfterSeconds} (429, with Retry-After). */
    public static ApiException tooManyAttempts(String detail, java.util.UUID attemptId, long retryAfterSeconds) {
        ApiException e = new ApiException(429, "too-many-attempts", "Too many attempts", detail, List.of(),
                attemptId.toString());
        e.retryAfterSeconds = retryAfterSeconds;
        return e;
    }

    /** Seconds until the request may succeed, when the refusal is temporary. */
    public java.util.Optional<Long> retryAfterSeconds() {
        return java.util.Optional.ofNullable(retryAfterSeconds);
    }

    public int status() {
        return status;
    }

    public Problem toProblem() {
        return new Problem(ProblemMapper.TYPE_PREFIX + slug, title, status, getMessage(), errors.isEmpty() ? null : errors,
                attemptId);
    }
}
