package io.gatehouse.platform;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Set;
import java.util.TreeSet;

/** JSON merge patch (RFC 7396) bodies: which top-level fields were given as {@code null}, to be removed. */
public final class MergePatch {

    /** What a refused removal says, for every kind of body. */
    public static final String NOT_REMOVABLE = "cannot be removed; give a new value instead";

    private MergePatch() {
    }

    /**
     * The body as a {@code type}, checked by Bean Validation like a {@code @Valid} parameter (a violation
     * is answered as the usual field errors).
     */
    public static <T> T read(com.fasterxml.jackson.databind.ObjectMapper json, jakarta.validation.Validator validator,
                             JsonNode body, Class<T> type) throws com.fasterxml.jackson.core.JsonProcessingException {
        T value = json.treeToValue(body, type);
        Set<jakarta.validation.ConstraintViolation<T>> violations = validator.validate(value);
        if (!violations.isEmpty()) {
            throw ApiException.violations(violations);
        }
        return value;
    }

    /** Refuses (400, each field named) the removal of any field outside {@code removable}. */
    public static void refuseRemoving(Set<String> removed, Set<String> removable) {
        java.util.List<Problem.FieldError> errors = removed.stream().filter(name -> !removable.contains(name))
                .map(name -> new Problem.FieldError(name, NOT_REMOVABLE)).toList();
        if (!errors.isEmpty()) {
            throw ApiException.validation(errors);
        }
    }

    /** The names of the body's top-level fields whose value is {@code null}. */
    public static Set<String> removedFields(JsonNode body) {
        Set<String> removed = new TreeSet<>();
        body.properties().forEach(field -> {
            if (field.getValue().isNull()) {
                removed.add(field.getKey());
            }
        });
        return removed;
    }
}
