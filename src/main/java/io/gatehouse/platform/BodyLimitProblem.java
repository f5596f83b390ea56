package io.gatehouse.platform;

import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Answers a declared body over {@code quarkus.http.limits.max-body-size} with problem+json, before the
 * body is read. (A chunked body without Content-Length still meets Vert.x's own limit: a bare 413.)
 */
@ApplicationScoped
public class BodyLimitProblem {

    private final long maxBodyBytes;

    public BodyLimitProblem(@ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize maxBodySize) {
        this.maxBodyBytes = maxBodySize.asLongValue();
    }

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(ctx -> {
            if (!tooLarge(ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH))) {
                ctx.next();
                return;
            }
            JsonObject problem = new JsonObject()
                    .put("type", ProblemMapper.TYPE_PREFIX + "body-too-large")
                    .put("title", "Payload too large")
                    .put("status", 413)
                    .put("detail", "The request body is larger than " + maxBodyBytes + " bytes.");
            ctx.response().setStatusCode(413)
                    .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                    .putHeader(HttpHeaders.CONNECTION, "close")
                    .end(problem.encode());
        });
    }

    private boolean tooLarge(String contentLength) {
        if (contentLength == null) {
            return false;
        }
        try {
            return Long.parseLong(contentLength.strip()) > maxBodyBytes;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
