package io.gatehouse.directory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.unboundid.scim2.common.GenericScimResource;
import com.unboundid.scim2.common.exceptions.ScimException;
import com.unboundid.scim2.common.filters.Filter;
import com.unboundid.scim2.common.messages.PatchRequest;
import com.unboundid.scim2.common.utils.JsonUtils;
import jakarta.ws.rs.core.Response;

import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * SCIM's wire format, with UnboundID's scim2-sdk doing the parsing of filters and the PATCH semantics:
 * its own JSON mapper (never the REST layer's snake_case one), error bodies (RFC 7644 section 3.12), and
 * what the real clients send normalised first: Entra ID's capitalised {@code "op": "Replace"} and its
 * booleans as strings ({@code "active": "False"}).
 */
final class Scim {

    static final String MEDIA_TYPE = "application/scim+json";
    static final String USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User";
    static final String ENTERPRISE_SCHEMA = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
    static final String GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group";
    static final String LIST_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
    static final String ERROR_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:Error";
    static final String PATCH_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
    static final ObjectMapper JSON = JsonUtils.createObjectMapper();
    static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private Scim() {
    }

    /** A SCIM error: its HTTP status, {@code scimType} (may be null) and detail. */
    static final class Error extends RuntimeException {
        final int status;
        final String scimType;

        Error(int status, String scimType, String detail) {
            super(detail, null, false, false);
            this.status = status;
            this.scimType = scimType;
        }
    }

    static Response error(int status, String scimType, String detail) {
        ObjectNode body = NODES.objectNode();
        body.putArray("schemas").add(ERROR_SCHEMA);
        body.put("status", String.valueOf(status));
        if (scimType != null) {
            body.put("scimType", scimType);
        }
        body.put("detail", detail);
        return Response.status(status).type(MEDIA_TYPE).entity(body.toString()).build();
    }

    static Response ok(int status, JsonNode body) {
        return Response.status(status).type(MEDIA_TYPE).entity(body.toString()).build();
    }

    /** The request body as a JSON object, or a 400 {@code invalidSyntax}. */
    static ObjectNode body(String text) {
        try {
            JsonNode node = JSON.readTree(text == null ? "" : text);
            if (node instanceof ObjectNode object) {
                return object;
            }
        } catch (Exception e) {
            // answered below
        }
        throw new Error(400, "invalidSyntax", "The body is not a JSON object.");
    }

    /** A PATCH body, normalised (op names lower-cased; string booleans of {@code active} made booleans), parsed. */
    static PatchRequest patch(ObjectNode body) {
        JsonNode operations = body.get("Operations");
        if (!(operations instanceof ArrayNode ops) || ops.isEmpty()) {
            throw new Error(400, "invalidSyntax", "A PATCH needs a non-empty Operations array.");
        }
        ArrayNode normalised = NODES.arrayNode();
        for (JsonNode op : ops) {
            if (!(op instanceof ObjectNode o) || !o.path("op").isTextual()) {
                throw new Error(400, "invalidSyntax", "Each operation needs an op.");
            }
            o.put("op", o.get("op").asText().toLowerCase(Locale.ROOT));
            // Entra ID removes members as {"op": "Remove", "path": "members", "value": [{"value": id}]}: by RFC 7644
            // a path-only remove would drop every member, so it becomes one filtered remove per member.
            if (o.get("op").asText().equals("remove") && o.path("path").asText().equalsIgnoreCase("members")
                    && o.get("value") instanceof ArrayNode values) {
                for (JsonNode member : values) {
                    ObjectNode one = NODES.objectNode();
                    one.put("op", "remove");
                    one.put("path", "members[value eq " + NODES.textNode(member.path("value").asText()) + "]");
                    normalised.add(one);
                }
                continue;
            }
            normalised.add(o);
            if (o.has("path") && o.get("path").asText().equalsIgnoreCase("active")) {
                o.set("value", bool(o.get("value")));
            } else if (o.get("value") instanceof ObjectNode v && v.has("active")) {
                v.set("active", bool(v.get("active")));
            }
        }
        body.set("Operations", normalised);
        try {
            return JSON.treeToValue(body, PatchRequest.class);
        } catch (Exception e) {
            throw new Error(400, "invalidSyntax", "The PATCH is malformed: " + firstLine(e.getMessage()));
        }
    }

    /** Applies a PATCH to a resource's JSON; returns the result. */
    static ObjectNode apply(PatchRequest patch, ObjectNode resource) {
        GenericScimResource generic = new GenericScimResource(resource.deepCopy());
        try {
            patch.apply(generic);
        } catch (ScimException e) {
            throw new Error(400, e.getScimError().getScimType() == null ? "invalidValue" : e.getScimError().getScimType(),
                    firstLine(e.getMessage()));
        } catch (RuntimeException e) {
            throw new Error(400, "invalidValue", "The PATCH cannot be applied: " + firstLine(e.getMessage()));
        }
        return generic.getObjectNode();
    }

    /** {@code true}, {@code "True"}, {@code "false"}… as a boolean node; anything else unchanged (refused later). */
    static JsonNode bool(JsonNode value) {
        if (value != null && value.isTextual()) {
            String text = value.asText().strip().toLowerCase(Locale.ROOT);
            if (text.equals("true") || text.equals("false")) {
                return NODES.booleanNode(text.equals("true"));
            }
        }
        return value;
    }

    /**
     * A filter, parsed, whose every attribute is one of {@code supported} (lower case, sub-attributes as
     * {@code emails.value}); else 400 {@code invalidFilter}.
     */
    static Filter filter(String text, Set<String> supported) {
        Filter filter;
        try {
            filter = Filter.fromString(SUB_ATTRIBUTE_OF_FILTERED.matcher(text).replaceAll("$1[$2 and $3 $4 $5]"));
        } catch (ScimException e) {
            throw new Error(400, "invalidFilter", "The filter cannot be parsed: " + firstLine(e.getMessage()));
        }
        check(filter, "", supported);
        return filter;
    }

    private static void check(Filter filter, String parent, Set<String> supported) {
        if (filter.isCombiningFilter()) {
            filter.getCombinedFilters().forEach(f -> check(f, parent, supported));
            return;
        }
        if (filter.isNotFilter()) {
            check(filter.getInvertedFilter(), parent, supported);
            return;
        }
        String path = filter.getAttributePath() == null ? "" : filter.getAttributePath().toString().toLowerCase(Locale.ROOT);
        path = path.replaceFirst("^urn:ietf:params:scim:schemas:core:2\\.0:(user|group):", "");
        String full = parent.isEmpty() ? path : parent + "." + path;
        if (filter.isComplexValueFilter()) {
            if (!supported.contains(full)) {
                throw new Error(400, "invalidFilter", "Filtering on " + full + " is not supported.");
            }
            check(filter.getValueFilter(), full, supported);
            return;
        }
        String attribute = full.replaceAll("\\[[^]]*]", "");
        if (!supported.contains(attribute)) {
            throw new Error(400, "invalidFilter", "Filtering on " + attribute + " is not supported.");
        }
    }

    /**
     * {@code emails[type eq "work"].value eq "x"}, as Entra ID writes it (a PATCH path used as a filter),
     * read as the RFC's {@code emails[type eq "work" and value eq "x"]}.
     */
    private static final java.util.regex.Pattern SUB_ATTRIBUTE_OF_FILTERED = java.util.regex.Pattern.compile(
            "([A-Za-z][\\w:.]*)\\[([^\\]]+)]\\.([A-Za-z]\\w*)\\s+(eq|ne|co|sw|ew|gt|lt|ge|le)\\s+(\"(?:[^\"\\\\]|\\\\.)*\"|\\S+)",
            java.util.regex.Pattern.CASE_INSENSITIVE);

    /** A list response of one page. */
    static ObjectNode list(List<ObjectNode> page, int total, int startIndex) {
        ObjectNode body = NODES.objectNode();
        body.putArray("schemas").add(LIST_SCHEMA);
        body.put("totalResults", total);
        body.put("startIndex", startIndex);
        body.put("itemsPerPage", page.size());
        ArrayNode resources = body.putArray("Resources");
        page.forEach(resources::add);
        return body;
    }

    /** The text value at a field, or null. */
    static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    /** Removes fields a client may not set (read-only, or the server's). */
    static void dropServerFields(ObjectNode node) {
        for (String field : List.of("id", "meta", "groups")) {
            node.remove(field);
        }
    }

    static ObjectNode meta(String type, java.time.Instant created, java.time.Instant modified, String location) {
        ObjectNode meta = NODES.objectNode();
        meta.put("resourceType", type);
        meta.put("created", created.toString());
        meta.put("lastModified", modified.toString());
        meta.put("location", location);
        meta.put("version", "W/\"" + modified.toEpochMilli() + "\"");
        return meta;
    }

    static String firstLine(String message) {
        if (message == null) {
            return "invalid";
        }
        int nl = message.indexOf('\n');
        String line = nl < 0 ? message : message.substring(0, nl);
        return line.length() > 300 ? line.substring(0, 300) : line;
    }

    /** Case-insensitive look-up of a top-level field (SCIM attribute names are case-insensitive). */
    static JsonNode field(ObjectNode node, String name) {
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            if (entry.getKey().equalsIgnoreCase(name)) {
                return entry.getValue();
            }
        }
        return null;
    }
}
