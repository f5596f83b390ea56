package io.gatehouse.platform;

import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;

import java.sql.SQLException;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * While PostgreSQL cannot be reached, every request that needs it is answered {@code 503} with
 * {@code Retry-After}: problem+json for API clients, the plain page for browsers; never a 500 with a
 * stack trace. Its REST half is {@link ProblemMapper}; the failures of routes outside REST (sign-in
 * mechanisms, the OIDC callback) are answered here. Logged as one WARN line, at most every few seconds.
 */
@ApplicationScoped
public class DatabaseOutage {

    private static final Logger LOG = Logger.getLogger(DatabaseOutage.class);
    /** What clients are told to wait before trying again. */
    public static final int RETRY_AFTER_SECONDS = 5;
    private static final AtomicLong LAST_LOGGED = new AtomicLong();

    /**
     * Whether a failure means the database cannot be reached (or just went away): a connection error
     * (SQLSTATE class 08), the server shutting down or refusing connections (57P01–57P03, "not currently
     * accepting connections"), or the pool giving up waiting for a connection.
     */
    public static boolean causedBy(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql) {
                String state = sql.getSQLState() == null ? "" : sql.getSQLState();
                String message = sql.getMessage() == null ? "" : sql.getMessage().toLowerCase(Locale.ROOT);
                if (state.startsWith("08") || state.equals("57P01") || state.equals("57P02") || state.equals("57P03")
                        || message.contains("not currently accepting connections")
                        || message.contains("acquisition timeout") || message.contains("connection has been closed")
                        || message.contains("this connection has been closed")) {
                    return true;
                }
            }
            if (t instanceof java.net.ConnectException || t.getClass().getName().equals("org.hibernate.exception.JDBCConnectionException")) {
                return true;
            }
        }
        return false;
    }

    /** Logs the outage once every few seconds, however many requests meet it. */
    static void log(Throwable failure) {
        long now = System.nanoTime();
        long last = LAST_LOGGED.get();
        if (now - last > 5_000_000_000L && LAST_LOGGED.compareAndSet(last, now)) {
            LOG.warnf("The database cannot be reached (%s); answering 503 until it is back", rootOf(failure));
        }
    }

    private static String rootOf(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root instanceof SQLException sql && sql.getSQLState() != null
                ? "SQLSTATE " + sql.getSQLState() : root.getClass().getSimpleName();
    }

    /** Whether the client reads pages (a browser navigating) rather than JSON. */
    static boolean wantsPage(String accept) {
        return accept != null && accept.contains("text/html");
    }

    /** The problem a REST resource's outage becomes. */
    static Response answer(String accept) {
        if (wantsPage(accept)) {
            return Response.fromResponse(page()).header("Retry-After", RETRY_AFTER_SECONDS).build();
        }
        return Response.status(503).type(Problem.MEDIA_TYPE).header("Retry-After", RETRY_AFTER_SECONDS)
                .entity(PROBLEM)
                .build();
    }

    private static final Problem PROBLEM = new Problem(ProblemMapper.TYPE_PREFIX + "unavailable", "Service unavailable", 503,
            "Gatehouse cannot reach its database right now. Try again in a few seconds.", null, null);

    private static Response page() {
        return HtmlPage.page(503, "Unavailable for a moment",
                "Gatehouse cannot complete this right now. Wait a few seconds, then try again.", null);
    }

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).failureHandler(this::handle);
    }

    private void handle(RoutingContext ctx) {
        if (ctx.failure() == null || !causedBy(ctx.failure()) || ctx.response().headWritten()) {
            ctx.next();
            return;
        }
        log(ctx.failure());
        ctx.response().setStatusCode(503).putHeader("Retry-After", String.valueOf(RETRY_AFTER_SECONDS));
        if (wantsPage(ctx.request().getHeader(HttpHeaders.ACCEPT))) {
            Response page = page();
            page.getStringHeaders().forEach((name, values) -> ctx.response().putHeader(name, values.getFirst()));
            ctx.response().end((String) page.getEntity());
        } else {
            ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE).end(PROBLEM.toJson());
        }
    }
}
