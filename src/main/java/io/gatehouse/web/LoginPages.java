package io.gatehouse.web;

import io.gatehouse.login.AttemptRecord;
import io.gatehouse.login.Delivery;
import io.gatehouse.login.LoginRefusedException;
import io.gatehouse.login.LoginResponses;
import io.gatehouse.login.Logout;
import io.gatehouse.login.MeService;
import io.gatehouse.login.MeView;
import io.gatehouse.login.PasswordLoginRequest;
import io.gatehouse.login.PasswordLoginService;
import io.gatehouse.login.PersonSessions;
import io.gatehouse.login.SessionCookies;
import io.gatehouse.login.SsoStartService;
import io.gatehouse.platform.ApiException;
import io.gatehouse.platform.Caller;
import io.gatehouse.platform.GatehouseConfig;
import io.gatehouse.user.UserView;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** The pages people sign in on: {@code /login}, {@code /login/sso}, the signed-in landing page, sign-out. */
@Path("/")
@Produces(MediaType.TEXT_HTML)
@Tag(name = "Pages")
public class LoginPages {

    @Inject
    @Location("login.html")
    Template login;
    @Inject
    @Location("login-sso.html")
    Template loginSso;
    @Inject
    @Location("home.html")
    Template home;
    @Inject
    OrgLoginPage orgLogin;
    @Inject
    io.gatehouse.login.AccountSwitch accountSwitch;

    private final PasswordLoginService passwords;
    private final SsoStartService ssoStart;
    private final Logout logout;
    private final Csrf csrf;
    private final GatehouseConfig config;
    private final SecurityIdentity identity;
    private final MeService me;
    private final LoginResponses responses;
    private final PersonSessions sessions;

    public LoginPages(PasswordLoginService passwords, SsoStartService ssoStart, Logout logout, Csrf csrf,
                      GatehouseConfig config, SecurityIdentity identity, MeService me, LoginResponses responses,
                      PersonSessions sessions) {
        this.sessions = sessions;
        this.passwords = passwords;
        this.ssoStart = ssoStart;
        this.logout = logout;
        this.csrf = csrf;
        this.config = config;
        this.identity = identity;
        this.me = me;
        this.responses = responses;
    }

    @GET
    @Operation(summary = "The signed-in landing page (the login page when nobody is signed in; the org's own sign-in page on a host mapped to an org)")
    public Response landing(@QueryParam("return_to") String returnTo, @Context HttpHeaders headers) {
        Caller caller = Pages.caller(identity);
        if (caller == null) {
            // The root of a host the operator gave to one org is that org's own sign-in page.
            Optional<String> org = orgLogin.orgOfHost(headers.getHeaderString(HttpHeaders.HOST));
            return org.isPresent() ? orgLogin.render(org.get(), returnTo, headers) : Response.seeOther(URI.create("/login")).build();
        }
        Pages.Form form = Pages.form(csrf, headers);
        MeView current = me.current();
        UserView user = current.user();
        TemplateInstance page = home.data("csrf", form.token()).data("admin", Pages.isAdmin(caller))
                .data("sessions", sessions.mine()).data("accounts", accountSwitch.mine())
                .data("org", current.org().name())
                .data("name", user.displayName() != null ? user.displayName() : user.email() != null ? user.email() : user.username());
        return Pages.html(page, form, 200);
    }

    @GET
    @Path("login")
    @Operation(summary = "Password sign-in page, with the Single Sign-On button")
    public Response loginPage(@QueryParam("return_to") String returnTo, @Context HttpHeaders headers) {
        Pages.Form form = Pages.form(csrf, headers);
        return Pages.html(loginTemplate(form, returnTo, null, null), form, 200);
    }

    @POST
    @Path("login")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(summary = "Password sign-in from the page: the session cookie and a redirect")
    public Response signIn(@FormParam("csrf") String token, @FormParam("username") String username,
                           @FormParam("password") String password, @FormParam("return_to") String returnTo,
                           @Context HttpHeaders headers, @Context HttpServerRequest http) {
        Pages.Form form = Pages.checkedForm(csrf, headers, token);
        if (username == null || username.isBlank() || password == null || password.isEmpty()) {
            return Pages.html(loginTemplate(form, returnTo, "Enter your username and password.", username), form, 400);
        }
        try {
            return responses.completed(passwords.browserLogin(new PasswordLoginRequest(username.strip(), password), returnTo,
                    AttemptRecord.ClientInfo.of(http)));
        } catch (ApiException refused) {
            String message = refused.status() == 401 ? "Wrong username or password." : refused.getMessage();
            return Pages.html(loginTemplate(form, returnTo, message, username), form, refused.status());
        }
    }

    @GET
    @Path("login/sso")
    @Operation(summary = "Single Sign-On page: one field, username or company code")
    public Response ssoPage(@QueryParam("return_to") String returnTo, @Context HttpHeaders headers) {
        Pages.Form form = Pages.form(csrf, headers);
        return ssoHtml(form, returnTo, null, null, 200);
    }

    @POST
    @Path("login/sso")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(summary = "Starts single sign-on from the page: a redirect to the org's identity provider")
    public Response ssoStart(@FormParam("csrf") String token, @FormParam("login") String login,
                             @FormParam("return_to") String returnTo, @Context HttpHeaders headers,
                             @Context HttpServerRequest http) {
        Pages.Form form = Pages.checkedForm(csrf, headers, token);
        try {
            Optional<URI> target = ssoStart.start(login, new Delivery.Browser(returnTo), null, AttemptRecord.ClientInfo.of(http));
            if (target.isEmpty()) {
                return ssoHtml(form, returnTo, "We could not find single sign-on for that. Check the spelling, or ask your administrator for your company code.",
                        login, 404);
            }
            return Response.seeOther(target.get()).build();
        } catch (LoginRefusedException refused) {
            return responses.refused(refused.reason(), refused.attemptId());
        }
    }

    @POST
    @Path("sessions/{sid}/end")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(summary = "Ends one of the signed-in person's sessions from the landing page")
    public Response endSession(@jakarta.ws.rs.PathParam("sid") java.util.UUID sid, @FormParam("csrf") String token,
                               @Context HttpHeaders headers) {
        Pages.checkedForm(csrf, headers, token);
        Caller caller = Pages.caller(identity);
        if (caller == null) {
            return Response.seeOther(URI.create("/login")).build();
        }
        sessions.endMine(sid);
        return sid.equals(caller.sessionId())
                ? Response.seeOther(URI.create("/login")).header(HttpHeaders.SET_COOKIE, SessionCookies.clear(config)).build()
                : Response.seeOther(URI.create("/")).build();
    }

    @POST
    @Path("logout")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(summary = "Signs out from the page: the session ends and its cookie is cleared")
    public Response signOut(@FormParam("csrf") String token, @Context HttpHeaders headers) {
        Pages.checkedForm(csrf, headers, token);
        var cookie = headers.getCookies().get(config.cookie().name());
        // From the page, the IdP's session ends too where it offers RP-initiated logout: the browser is sent
        // there by a page (a redirect after a form post would meet the pages' form-action policy).
        java.util.Optional<URI> idp = logout.endWithIdp(cookie == null ? null : cookie.getValue());
        if (idp.isPresent()) {
            String url = io.gatehouse.platform.HtmlPage.escape(idp.get().toString());
            String html = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Signing out · Gatehouse</title>"
                    + "<meta http-equiv=\"refresh\" content=\"0;url=" + url + "\"><link rel=\"stylesheet\" href=\"/static/app.css\"></head>"
                    + "<body><main><section class=\"card narrow\"><h1>Signing you out</h1><p>Now signing you out of your identity "
                    + "provider. <a id=\"idp-logout\" href=\"" + url + "\">Continue</a></p></section></main></body></html>";
            return Response.ok(html, MediaType.TEXT_HTML_TYPE.withCharset("utf-8")).header(HttpHeaders.SET_COOKIE, SessionCookies.clear(config))
                    .header("Cache-Control", "no-store").header("Referrer-Policy", "no-referrer").build();
        }
        return Response.seeOther(URI.create("/login")).header(HttpHeaders.SET_COOKIE, SessionCookies.clear(config)).build();
    }

    @POST
    @Path("account")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(summary = "Switches the page's session to another of the person's accounts (the landing page's switcher)")
    public Response switchAccount(@FormParam("csrf") String token, @FormParam("org") String org, @Context HttpHeaders headers) {
        Pages.checkedForm(csrf, headers, token);
        if (Pages.caller(identity) == null) {
            return Response.seeOther(URI.create("/login")).build();
        }
        try {
            io.gatehouse.login.AccountSwitch.Switched switched = accountSwitch.to(org);
            return Response.seeOther(URI.create("/")).header(HttpHeaders.SET_COOKIE,
                    SessionCookies.set(config, switched.cookieToken().token(), switched.cookieToken().expiresIn())).build();
        } catch (ApiException refused) {
            return io.gatehouse.login.ErrorPage.page(refused.toProblem().status(), "Not switched", refused.toProblem().detail(), null);
        }
    }

    @GET
    @Path("logout/done")
    @Operation(summary = "Where the IdP sends the browser back after RP-initiated logout (the post_logout_redirect_uri)")
    public Response signedOut() {
        return Response.seeOther(URI.create("/login")).build();
    }

    private Response ssoHtml(Pages.Form form, String returnTo, String error, String login, int status) {
        TemplateInstance page = loginSso.data("csrf", form.token()).data("returnTo", returnTo).data("error", error)
                .data("login", login).data("passwordLink", link("/login", returnTo));
        // The form posts here and is then redirected to the org's IdP, wherever that is.
        String formAction = "form-action 'self' https:" + (config.allowHttpUrls() ? " http:" : "");
        return Response.fromResponse(Pages.html(page, form, status))
                .header("Content-Security-Policy", PageHeaders.CSP.replace("form-action 'self'", formAction)).build();
    }

    private TemplateInstance loginTemplate(Pages.Form form, String returnTo, String error, String username) {
        return login.data("csrf", form.token()).data("returnTo", returnTo).data("error", error).data("username", username)
                .data("ssoLink", link("/login/sso", returnTo));
    }

    private static String link(String path, String returnTo) {
        return returnTo == null ? path : path + "?return_to=" + URLEncoder.encode(returnTo, StandardCharsets.UTF_8);
    }
}
