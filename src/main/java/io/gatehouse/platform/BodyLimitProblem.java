package io.gatehouse.platform;

import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Answers a body over {@code quarkus.http.limits.max-body-size} with problem+json {@code 413}: a
 * declared one before it is read; a chunked one (no Content-Length) is read here, up to the limit (forms
 * too: uploads go where Quarkus puts them, and REST reads them from here), and refused the moment it
 * passes it (Quarkus's own reader would answer a bare 413).
 */
@ApplicationScoped
public class BodyLimitProblem {

    private final long maxBodyBytes;
    private final String uploads;

    public BodyLimitProblem(@ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize maxBodySize,
                            @ConfigProperty(name = "quarkus.http.body.uploads-directory") String uploads) {
        this.maxBodyBytes = maxBodySize.asLongValue();
        this.uploads = uploads;
    }

    void install(@Observes Router router) {
        BodyHandler chunked = BodyHandler.create(true).setBodyLimit(maxBodyBytes).setUploadsDirectory(uploads)
                .setDeleteUploadedFilesOnEnd(true).setMergeFormAttributes(true);
        router.route().order(Integer.MIN_VALUE).handler(ctx -> {
            String declared = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
            if (tooLarge(declared)) {
                refuse(ctx);
            } else if (declared == null && ctx.request().headers().contains(HttpHeaders.TRANSFER_ENCODING)) {
                chunked.handle(ctx);
            } else {
                ctx.next();
            }
        });
        router.route().order(Integer.MIN_VALUE).failureHandler(ctx -> {
            if (ctx.statusCode() == 413 && !ctx.response().headWritten()) {
                refuse(ctx);
            } else {
                ctx.next();
            }
        });
    }

    private void refuse(io.vertx.ext.web.RoutingContext ctx) {
        Problem problem = new Problem(ProblemMapper.TYPE_PREFIX + "body-too-large", "Payload too large", 413,
                "The request body is larger than " + maxBodyBytes + " bytes.", null, null);
        ctx.response().setStatusCode(413)
                .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .putHeader(HttpHeaders.CONNECTION, "close")
                .end(problem.toJson());
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
