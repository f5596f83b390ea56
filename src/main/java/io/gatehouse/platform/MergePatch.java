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
     * is answered as the usual field errors). A top-level field the type does not know is refused, also
     * where the type takes fields of a nested record ({@code @JsonUnwrapped}), which Jackson lets through.
     */
    public static <T> T read(com.fasterxml.jackson.databind.ObjectMapper json, jakarta.validation.Validator validator,
                             JsonNode body, Class<T> type) throws com.fasterxml.jackson.core.JsonProcessingException {
        Set<String> known = fieldNames(json, json.constructType(type));
        java.util.List<Problem.FieldError> unknown = body.propertyStream().map(java.util.Map.Entry::getKey)
                .filter(name -> !known.contains(name)).map(name -> new Problem.FieldError(name, "unknown field")).toList();
        if (!unknown.isEmpty()) {
            throw ApiException.validation(unknown);
        }
        T value = json.treeToValue(body, type);
        Set<jakarta.validation.ConstraintViolation<T>> violations = validator.validate(value);
        if (!violations.isEmpty()) {
            throw ApiException.violations(violations);
        }
        return value;
    }

    /** The JSON field names a body of this type may hold, those of its unwrapped records included. */
    private static Set<String> fieldNames(com.fasterxml.jackson.databind.ObjectMapper json, com.fasterxml.jackson.databind.JavaType type) {
        Set<String> names = new TreeSet<>();
        for (var property : json.getDeserializationConfig().introspect(type).findProperties()) {
            if (property.getPrimaryMember() != null
                    && property.getPrimaryMember().getAnnotation(com.fasterxml.jackson.annotation.JsonUnwrapped.class) != null) {
                names.addAll(fieldNames(json, property.getPrimaryType()));
            } else {
                names.add(property.getName());
            }
        }
        return names;
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
