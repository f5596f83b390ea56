package io.gatehouse.platform;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DatabindException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.List;
import java.util.UUID;

/**
 * The one place exceptions become HTTP answers: RFC 7807 problem+json, with field-level errors for
 * validation, and never an exception class, message or stack trace from inside.
 */
public class ProblemMapper {

    public static final String TYPE_PREFIX = "urn:gatehouse:problem:";
    private static final Logger LOG = Logger.getLogger(ProblemMapper.class);
    private static final PropertyNamingStrategies.NamingBase SNAKE =
            (PropertyNamingStrategies.NamingBase) PropertyNamingStrategies.SNAKE_CASE;

    @ServerExceptionMapper
    public Response api(ApiException e) {
        Response.ResponseBuilder response = respond(e.toProblem());
        if (e.status() == 401) {
            response.header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"gatehouse\"");
        }
        e.retryAfterSeconds().ifPresent(seconds -> response.header(HttpHeaders.RETRY_AFTER, seconds));
        return response.build();
    }

    @ServerExceptionMapper
    public Response beanValidation(ConstraintViolationException e) {
        return api(ApiException.violations(e.getConstraintViolations()));
    }

    /** A body the JSON reader refused, mapped by its precise cause. */
    private Response jackson(JacksonException e) {
        return switch (e) {
            case UnrecognizedPropertyException u -> unknownField(u);
            case InvalidFormatException i -> invalidValue(i);
            case ValueInstantiationException v -> notInstantiable(v);
            case MismatchedInputException m -> mismatched(m);
            case DatabindException d -> wrongShape(d);
            default -> malformed(e);
        };
    }

    @ServerExceptionMapper
    public Response unknownField(UnrecognizedPropertyException e) {
        return api(ApiException.invalidField(pathOf(e), "unknown field"));
    }

    @ServerExceptionMapper
    public Response invalidValue(InvalidFormatException e) {
        return api(ApiException.invalidField(pathOf(e), "must be " + describe(e.getTargetType())));
    }

    @ServerExceptionMapper
    public Response notInstantiable(ValueInstantiationException e) {
        return api(ApiException.invalidField(pathOf(e), "has an invalid value"));
    }

    @ServerExceptionMapper
    public Response mismatched(MismatchedInputException e) {
        return wrongShape(e);
    }

    @ServerExceptionMapper
    public Response wrongShape(DatabindException e) {
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            return api(ApiException.invalidField(pathOf(mapping), "has the wrong type"));
        }
        return api(ApiException.badRequest("The request body is not valid JSON for this endpoint."));
    }

    @ServerExceptionMapper
    public Response malformed(JacksonException e) {
        return api(ApiException.badRequest("The request body is not well-formed JSON."));
    }

    @ServerExceptionMapper
    public Response unauthenticated(AuthenticationFailedException e) {
        return api(ApiException.unauthorized("A valid bearer token is required."));
    }

    @ServerExceptionMapper
    public Response unauthorized(UnauthorizedException e) {
        return api(ApiException.unauthorized("A valid bearer token is required."));
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return api(ApiException.forbidden("Your token does not allow this."));
    }

    @ServerExceptionMapper
    public Response http(WebApplicationException e, HttpHeaders headers) {
        int status = e.getResponse().getStatus();
        if (status == 400 && e.getCause() instanceof JacksonException jackson) {
            return jackson(jackson);
        }
        if (status >= 500) {
            return unexpected(e, headers);
        }
        Response.Status known = Response.Status.fromStatusCode(status);
        String title = known != null ? known.getReasonPhrase() : "Error";
        Response.ResponseBuilder response = respond(new Problem(TYPE_PREFIX + "http-" + status, title, status,
                status == 404 ? "No such resource." : title + ".", null, null));
        String allow = e.getResponse().getHeaderString(HttpHeaders.ALLOW);
        if (allow != null) {
            response.header(HttpHeaders.ALLOW, allow);
        }
        return response.build();
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e, HttpHeaders headers) {
        if (DatabaseOutage.causedBy(e)) {
            DatabaseOutage.log(e);
            return DatabaseOutage.answer(headers.getHeaderString(HttpHeaders.ACCEPT));
        }
        String reference = UUID.randomUUID().toString();
        LOG.errorf(e, "Unexpected error, reference %s", reference);
        return respond(new Problem(TYPE_PREFIX + "internal", "Internal error", 500,
                "Something went wrong on our side. Reference: " + reference, null, null)).build();
    }

    private static Response.ResponseBuilder respond(Problem problem) {
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem);
    }

    /** {@code create.request.clientSecret} → {@code client_secret}; {@code scopes[1]} kept. */
    static String fieldOf(ConstraintViolation<?> violation) {
        StringBuilder field = new StringBuilder();
        for (Path.Node node : violation.getPropertyPath()) {
            if (node.getKind() == ElementKind.METHOD || node.getKind() == ElementKind.PARAMETER
                    || node.getKind() == ElementKind.CROSS_PARAMETER) {
                continue;
            }
            if (node.getIndex() != null && !field.isEmpty()) {
                field.append('[').append(node.getIndex()).append(']');
            }
            if (node.getName() != null && node.getKind() == ElementKind.PROPERTY) {
                if (!field.isEmpty()) {
                    field.append('.');
                }
                field.append(SNAKE.translate(node.getName()));
            }
        }
        return field.isEmpty() ? "body" : field.toString();
    }

    static String pathOf(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.isEmpty() ? "body" : path.toString();
    }

    private static String describe(Class<?> type) {
        if (type == null) {
            return "a valid value";
        }
        return switch (type.getSimpleName()) {
            case "boolean", "Boolean" -> "true or false";
            case "int", "Integer", "long", "Long" -> "a whole number";
            case "UUID" -> "a UUID";
            case "Instant", "OffsetDateTime" -> "an ISO-8601 timestamp such as 2027-05-01T00:00:00Z";
            default -> type.isEnum() ? "one of " + List.of(type.getEnumConstants()).stream()
                    .map(Object::toString).toList() : "a valid " + type.getSimpleName();
        };
    }
}
