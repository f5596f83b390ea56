package io.gatehouse.platform;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Set;
import java.util.TreeSet;

/** JSON merge patch (RFC 7396) bodies: which top-level fields were given as {@code null}, to be removed. */
public final class MergePatch {

    private MergePatch() {
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
