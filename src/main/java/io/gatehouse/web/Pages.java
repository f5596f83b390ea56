package io.gatehouse.web;

import io.gatehouse.login.ErrorPage;
import io.gatehouse.platform.Caller;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** What every page needs: its CSRF form token, who is signed in, and the HTML answer. */
final class Pages {

    private Pages() {
    }

    /** The CSRF state of one page: the cookie's seed (new when the browser had none) and the form token. */
    record Form(String seed, boolean fresh, String token) {
    }

    /** The form token for this browser, creating its CSRF cookie when it has none. */
    static Form form(Csrf csrf, HttpHeaders headers) {
        Cookie cookie = headers.getCookies().get(Csrf.COOKIE);
        if (cookie != null && cookie.getValue() != null && cookie.getValue().length() >= 32) {
            return new Form(cookie.getValue(), false, csrf.token(cookie.getValue()));
        }
        String seed = csrf.newSeed();
        return new Form(seed, true, csrf.token(seed));
    }

    /** The form of a post, after checking its token against the browser's CSRF cookie; a 403 page when they do not match. */
    static Form checkedForm(Csrf csrf, HttpHeaders headers, String formToken) {
        Cookie cookie = headers.getCookies().get(Csrf.COOKIE);
        if (cookie == null || !csrf.valid(cookie.getValue(), formToken)) {
            throw new WebApplicationException(ErrorPage.page(403, "Form expired",
                    "This form could not be accepted (it was opened in another session, or it is not from Gatehouse). Go back, reload the page and try again.",
                    null));
        }
        return new Form(cookie.getValue(), false, formToken);
    }

    /** The page's refusal, when there is one: its sentence and the fields it names (the templates' error block). */
    static TemplateInstance withProblem(TemplateInstance page, io.gatehouse.platform.Problem problem) {
        return page.data("error", problem == null ? null : problem.detail())
                .data("fieldErrors", problem == null || problem.errors() == null ? java.util.List.of() : problem.errors());
    }

    static Response html(TemplateInstance page, Form form, int status) {
        Response.ResponseBuilder response = Response.status(status).type(MediaType.TEXT_HTML_TYPE.withCharset("utf-8"))
                .entity(page.render());
        if (form.fresh()) {
            response.header(HttpHeaders.SET_COOKIE, Csrf.cookie(form.seed()));
        }
        return response.build();
    }

    /** The signed-in user of a page, or null (nobody, or a cookie that is no longer valid). */
    static Caller caller(SecurityIdentity identity) {
        try {
            return identity.isAnonymous() ? null : identity.getAttribute(Caller.ATTRIBUTE);
        } catch (AuthenticationFailedException expired) {
            return null;
        }
    }

    static boolean isAdmin(Caller caller) {
        return caller.canAdminister(caller.orgId());
    }
}
