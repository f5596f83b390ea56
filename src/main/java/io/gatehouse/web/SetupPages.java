package io.gatehouse.web;

import io.gatehouse.directory.ScimTokens;
import io.gatehouse.login.ErrorPage;
import io.gatehouse.login.TestSignIns;
import io.gatehouse.org.ConnectionRequest;
import io.gatehouse.org.ConnectionService;
import io.gatehouse.org.ConnectionSettings;
import io.gatehouse.org.ConnectionView;
import io.gatehouse.org.DomainService;
import io.gatehouse.org.SsoUrls;
import io.gatehouse.platform.ApiException;
import io.gatehouse.platform.Caller;
import io.gatehouse.platform.Callers;
import io.gatehouse.platform.GatehouseConfig;
import io.gatehouse.platform.Problem;
import io.gatehouse.platform.PublicUrls;
import io.gatehouse.saml.SamlConnections;
import io.gatehouse.setup.Guides;
import io.gatehouse.setup.SetupAccess;
import io.gatehouse.setup.SetupLinks;
import io.gatehouse.setup.SetupScope;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Self-service setup, {@code /setup}: reached by a setup link (no Gatehouse account: the link's secret
 * becomes a short page session for one org and the link's scopes) or by an admin of the org. It walks the
 * customer's IT admin through their IdP in its own words (the {@link Guides}), makes the connection as a
 * draft, runs a test sign-in, activates; and adds domains and SCIM tokens. Every action goes through the
 * same services as the API, for the session's org only; a link never reaches users, roles or another org.
 */
@Path("/setup")
@Produces(MediaType.TEXT_HTML)
@Tag(name = "Pages")
public class SetupPages {

    /** The page session of a setup link. */
    static final String COOKIE = "gatehouse_setup";

    @Inject
    @Location("setup/link.html")
    Template linkPage;
    @Inject
    @Location("setup/home.html")
    Template homePage;
    @Inject
    @Location("setup/guide.html")
    Template guidePage;
    @Inject
    @Location("setup/connection.html")
    Template connectionPage;
    @Inject
    @Location("setup/test.html")
    Template testPage;
    @Inject
    io.gatehouse.login.MeService me;

    private final SetupLinks links;
    private final Guides guides;
    private final ConnectionService connections;
    private final SamlConnections samlConnections;
    private final DomainService domains;
    private final ScimTokens scimTokens;
    private final TestSignIns tests;
    private final Callers callers;
    private final SecurityIdentity identity;
    private final PublicUrls urls;
    private final GatehouseConfig config;
    private final Csrf csrf;

    public SetupPages(SetupLinks links, Guides guides, ConnectionService connections, SamlConnections samlConnections,
                      DomainService domains, ScimTokens scimTokens, TestSignIns tests, Callers callers, SecurityIdentity identity,
                      PublicUrls urls, GatehouseConfig config, Csrf csrf) {
        this.links = links;
        this.guides = guides;
        this.connections = connections;
        this.samlConnections = samlConnections;
        this.domains = domains;
        this.scimTokens = scimTokens;
        this.tests = tests;
        this.callers = callers;
        this.identity = identity;
        this.urls = urls;
        this.config = config;
        this.csrf = csrf;
    }

    // --- The link ---------------------------------------------------------------------------------

    @GET
    @Path("/link")
    @Operation(summary = "Opens a setup link: its secret (in the URL's fragment, which browsers never send) is posted by the page")
    public Response linkPage(@Context HttpHeaders headers) {
        Pages.Form form = Pages.form(csrf, headers);
        return Pages.html(linkPage.data("csrf", form.token()).data("error", null), form, 200);
    }

    @POST
    @Path("/link")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(summary = "Trades a setup link's secret for a page session of its org (an hour at most, never past the link)")
    public Response openLink(@FormParam("csrf") String token, @FormParam("secret") String secret, @Context HttpHeaders headers) {
        Pages.Form form = Pages.checkedForm(csrf, headers, token);
        // The whole link may be pasted: the secret is what follows '#'.
        String value = secret == null ? null : secret.substring(secret.lastIndexOf('#') + 1).strip();
        Optional<String> session = links.exchange(value);
        if (session.isEmpty()) {
            return Pages.html(linkPage.data("csrf", form.token()).data("error",
                    "This setup link does not work: it has expired or was revoked. Ask for a new one."), form, 403);
        }
        return Response.seeOther(URI.create("/setup")).header(HttpHeaders.SET_COOKIE, COOKIE + "=" + session.get()
                + "; Path=/; Max-Age=3600; Secure; HttpOnly; SameSite=Lax").build();
    }

    @POST
    @Path("/leave")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(summary = "Ends the setup page session of this browser")
    public Response leave(@FormParam("csrf") String token, @CookieParam(COOKIE) String session, @Context HttpHeaders headers) {
        Pages.checkedForm(csrf, headers, token);
        links.endSession(session);
        return Response.seeOther(URI.create("/setup/link")).header(HttpHeaders.SET_COOKIE, COOKIE + "=; Path=/; Max-Age=0; Secure; HttpOnly; SameSite=Lax").build();
    }

    // --- Overview ---------------------------------------------------------------------------------

    @GET
    @Operation(summary = "Setup overview: pick the IdP, the org's connections, domains and directory sync (as the link allows)")
    public Response home(@CookieParam(COOKIE) String session, @QueryParam("done") String done, @Context HttpHeaders headers) {
        return withAccess(session, access -> homeHtml(access, Pages.form(csrf, headers), notice(done), null, null, 200));
    }

    private Response homeHtml(SetupAccess access, Pages.Form form, String notice, String newToken, Problem problem, int status) {
        TemplateInstance page = Pages.withProblem(homePage.data("access", access).data("csrf", form.token()).data("notice", notice)
                .data("sso", access.allows(SetupScope.SSO)).data("domainsScope", access.allows(SetupScope.DOMAINS))
                .data("directory", access.allows(SetupScope.DIRECTORY))
                .data("guides", guides.all())
                .data("connections", access.allows(SetupScope.SSO) ? as(access, () -> connections.list(access.orgCode())) : List.of())
                .data("domains", access.allows(SetupScope.DOMAINS) ? as(access, () -> domains.list(access.orgCode())) : List.of())
                .data("tokens", access.allows(SetupScope.DIRECTORY) ? as(access, () -> scimTokens.list(access.orgCode())) : List.of())
                .data("scimBaseUrl", urls.base() + "/scim/v2/" + access.orgCode()).data("newToken", newToken), problem);
        return Pages.html(page, form, status);
    }

    // --- Guides and connections -------------------------------------------------------------------

    /** One value of a step, resolved for the org: the IdP's label, the value's name, the URL. */
    public record StepValue(String label, String name, String value) {
    }

    /** A step with its values resolved. */
    public record StepView(int number, String title, String text, List<StepValue> values) {
    }

    @GET
    @Path("/idp/{guide}")
    @Operation(summary = "The numbered steps for one IdP in its own words, each value with a copy button, and the form for what comes back")
    public Response guide(@PathParam("guide") String id, @CookieParam(COOKIE) String session, @Context HttpHeaders headers) {
        return withAccess(session, access -> require(access, SetupScope.SSO, () -> guideHtml(access, id, Pages.form(csrf, headers), null, 200)));
    }

    private Response guideHtml(SetupAccess access, String id, Pages.Form form, Problem problem, int status) {
        Guides.Guide guide = guides.byId(id).orElse(null);
        if (guide == null) {
            return ErrorPage.page(404, "No such guide", "There is no setup guide with this name.", null);
        }
        SsoUrls values = SsoUrls.of(urls.base(), access.orgCode());
        List<StepView> steps = new java.util.ArrayList<>();
        for (int i = 0; i < guide.steps().size(); i++) {
            Guides.Step step = guide.steps().get(i);
            steps.add(new StepView(i + 1, step.title(), step.text(), step.values().stream()
                    .map(v -> new StepValue(v.label(), v.value(), Guides.value(values, v.value()))).toList()));
        }
        TemplateInstance page = Pages.withProblem(guidePage.data("access", access).data("guide", guide).data("steps", steps)
                .data("fields", guide.fields() == null ? Map.of() : guide.fields()).data("csrf", form.token()).data("notice", null), problem);
        return Pages.html(page, form, status);
    }

    @POST
    @Path("/connections")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Operation(summary = "Makes the connection of a guide as a draft (nobody signs in through it until it is activated)")
    public Response addConnection(@RestForm String csrf, @RestForm String guide, @RestForm("tenant_id") String tenantId,
                                  @RestForm("client_id") String clientId, @RestForm("client_secret") String clientSecret,
                                  @RestForm("client_secret_expires_at") String secretExpiry, @RestForm String issuer,
                                  @RestForm("metadata_url") String metadataUrl, @RestForm("metadata_file") FileUpload metadataFile,
                                  @CookieParam(COOKIE) String session, @Context HttpHeaders headers) {
        Pages.Form form = Pages.checkedForm(this.csrf, headers, csrf);
        return withAccess(session, access -> require(access, SetupScope.SSO, () -> {
            Guides.Guide chosen = guides.byId(guide == null ? "" : guide).orElse(null);
            if (chosen == null) {
                return ErrorPage.page(404, "No such guide", "There is no setup guide with this name.", null);
            }
            try {
                ConnectionSettings settings = ConnectionSettings.of(AdminPages.blank(tenantId), AdminPages.blank(clientId),
                        AdminPages.blank(issuer), chosen.type().equals("saml") ? null : List.of("openid", "email", "profile"),
                        AdminPages.blank(metadataUrl));
                ConnectionRequest request = new ConnectionRequest(chosen.type(), chosen.name(), null, null, AdminPages.blank(clientSecret),
                        AdminPages.date(secretExpiry), AdminPages.text(metadataFile), null, settings);
                ConnectionView made = as(access, () -> connections.createDraft(access.orgCode(), request));
                return Response.seeOther(URI.create("/setup/connections/" + made.id() + "?done=created")).build();
            } catch (ApiException refused) {
                return guideHtml(access, chosen.id(), form, refused.toProblem(), refused.toProblem().status());
            }
        }));
    }

    @GET
    @Path("/connections/{id}")
    @Operation(summary = "One connection in setup: its state, its IdP metadata, the test sign-in and activation")
    public Response connection(@PathParam("id") UUID id, @QueryParam("done") String done,
                               @CookieParam(COOKIE) String session, @Context HttpHeaders headers) {
        return withAccess(session, access -> require(access, SetupScope.SSO,
                () -> connectionHtml(access, id, Pages.form(csrf, headers), notice(done), null, 200)));
    }

    private Response connectionHtml(SetupAccess access, UUID id, Pages.Form form, String notice, Problem problem, int status) {
        ConnectionView c = as(access, () -> connections.get(access.orgCode(), id));
        TemplateInstance page = Pages.withProblem(connectionPage.data("access", access).data("c", c).data("saml", c.type() == io.gatehouse.org.ConnectionType.SAML)
                .data("csrf", form.token()).data("notice", notice), problem);
        // The test sign-in's form posts here and is then sent on to the IdP, wherever that is.
        return Response.fromResponse(Pages.html(page, form, status)).header("Content-Security-Policy",
                PageHeaders.CSP.replace("form-action 'self'", "form-action 'self' https:" + (config.allowHttpUrls() ? " http:" : ""))).build();
    }

    @POST
    @Path("/connections/{id}/metadata")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Operation(summary = "The IdP's SAML metadata for a connection in setup: its URL (fetched now) or its file")
    public Response metadata(@PathParam("id") UUID id, @RestForm String csrf, @RestForm("metadata_url") String metadataUrl,
                             @RestForm("metadata_file") FileUpload metadataFile, @CookieParam(COOKIE) String session,
                             @Context HttpHeaders headers) {
        return posted(session, headers, csrf, SetupScope.SSO, id, access -> {
            samlConnections.replaceMetadata(access.orgCode(), id, AdminPages.text(metadataFile), AdminPages.blank(metadataUrl));
            return "/setup/connections/" + id + "?done=metadata";
        });
    }

    @POST
    @Path("/connections/{id}/test")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(summary = "Starts a test sign-in through the connection (draft or not): no user and no session come of it")
    public Response test(@PathParam("id") UUID id, @FormParam("csrf") String token, @CookieParam(COOKIE) String session,
                         @Context HttpHeaders headers) {
        Pages.Form form = Pages.checkedForm(csrf, headers, token);
        return withAccess(session, access -> require(access, SetupScope.SSO, () -> {
            ConnectionView c = as(access, () -> connections.get(access.orgCode(), id));
            if (c.type() == io.gatehouse.org.ConnectionType.SAML && c.idp() == null) {
                return connectionHtml(access, id, form, null, ApiException.conflict(
                        "Give the IdP's metadata first: a test sign-in needs to know where to send you.").toProblem(), 409);
            }
            TestSignIns.Started started = tests.start(access.orgId(), id);
            String start = io.gatehouse.org.SsoUrls.signInPath(access.orgCode(), c.type().isOidc())
                    + "?connection=" + id + "&test=" + started.id();
            return Response.seeOther(URI.create(start)).header(HttpHeaders.SET_COOKIE, started.cookie()).build();
        }));
    }

    @GET
    @Path("/tests/{id}")
    @Operation(summary = "A test sign-in's report: what the IdP sent and what Gatehouse would make of it, or what to fix")
    public Response testReport(@PathParam("id") UUID id, @CookieParam(COOKIE) String session, @Context HttpHeaders headers) {
        return withAccess(session, access -> require(access, SetupScope.SSO, () -> {
            Optional<TestSignIns.Report> report = tests.report(access.orgId(), id);
            if (report.isEmpty()) {
                return ErrorPage.page(404, "No such test", "There is no test sign-in with this id for your organization.", null);
            }
            Pages.Form form = Pages.form(csrf, headers);
            ConnectionView c = as(access, () -> connections.get(access.orgCode(), report.get().connectionId()));
            Map<String, Object> result = report.get().result() == null ? Map.of() : report.get().result();
            return Pages.html(testPage.data("access", access).data("c", c).data("report", report.get()).data("result", result)
                    .data("rows", rows(result)).data("csrf", form.token()), form, 200);
        }));
    }

    /** What the IdP sent, flattened for a table: name → value (lists joined). */
    private static List<Map.Entry<String, String>> rows(Map<String, Object> result) {
        Map<String, String> out = new LinkedHashMap<>();
        Object sent = result.get("sent");
        if (sent instanceof Map<?, ?> map) {
            flatten("", map, out);
        }
        return List.copyOf(out.entrySet());
    }

    private static void flatten(String prefix, Map<?, ?> map, Map<String, String> out) {
        for (var e : map.entrySet()) {
            String key = prefix + e.getKey();
            if (e.getValue() instanceof Map<?, ?> inner) {
                // SAML attributes and OIDC claims are shown by their own names.
                flatten(prefix.isEmpty() && ("attributes".equals(e.getKey()) || "claims".equals(e.getKey())) ? "" : key + ".", inner, out);
            } else if (e.getValue() instanceof List<?> list) {
                out.put(key, String.join(", ", list.stream().map(String::valueOf).toList()));
            } else if (e.getValue() != null) {
                out.put(key, String.valueOf(e.getValue()));
            }
        }
    }

    @POST
    @Path("/connections/{id}/activate")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(summary = "Switches the connection on for everyone (recorded as untested when no test sign-in succeeded)")
    public Response activate(@PathParam("id") UUID id, @FormParam("csrf") String token, @CookieParam(COOKIE) String session,
                             @Context HttpHeaders headers) {
        return posted(session, headers, token, SetupScope.SSO, id, access -> {
            connections.update(access.orgCode(), id, ConnectionRequest.toEnable(true));
            return "/setup/connections/" + id + "?done=activated";
        });
    }

    // --- Domains and directory --------------------------------------------------------------------

    @POST
    @Path("/domains")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(summary = "Adds an email domain of the org: its TXT record is shown to publish")
    public Response addDomain(@FormParam("csrf") String token, @FormParam("domain") String domain, @CookieParam(COOKIE) String session,
                              @Context HttpHeaders headers) {
        return posted(session, headers, token, SetupScope.DOMAINS, null, access -> {
            domains.add(access.orgCode(), domain);
            return "/setup?done=domain";
        });
    }

    @POST
    @Path("/domains/{domain}/verify")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(summary = "Checks a domain's TXT record now")
    public Response verifyDomain(@PathParam("domain") String domain, @FormParam("csrf") String token, @CookieParam(COOKIE) String session,
                                 @Context HttpHeaders headers) {
        return posted(session, headers, token, SetupScope.DOMAINS, null, access ->
                "verified".equals(domains.verify(access.orgCode(), domain).status()) ? "/setup?done=domain-verified" : "/setup?done=domain-pending");
    }

    @POST
    @Path("/directory/tokens")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(summary = "Makes a SCIM token for the org's IdP: shown on this page once")
    public Response newScimToken(@FormParam("csrf") String token, @FormParam("name") String name, @CookieParam(COOKIE) String session,
                                 @Context HttpHeaders headers) {
        Pages.Form form = Pages.checkedForm(csrf, headers, token);
        return withAccess(session, access -> require(access, SetupScope.DIRECTORY, () -> {
            try {
                String made = as(access, () -> scimTokens.create(access.orgCode(), name).token());
                return homeHtml(access, form, "Token created: copy it now, it is not shown again.", made, null, 201);
            } catch (ApiException refused) {
                return homeHtml(access, form, null, null, refused.toProblem(), refused.toProblem().status());
            }
        }));
    }

    // --- Access -----------------------------------------------------------------------------------

    /**
     * Runs the page for whoever may use setup: a live setup link session (its org and scopes), else a
     * signed-in admin (their org, every scope); anyone else gets a page that says how to get in.
     */
    private Response withAccess(String session, Function<SetupAccess, Response> page) {
        Optional<SetupAccess> access = links.session(session);
        if (access.isEmpty()) {
            Caller caller = Pages.caller(identity);
            if (caller != null && !caller.operator() && Pages.isAdmin(caller)) {
                access = Optional.of(new SetupAccess(caller.orgId(), caller.orgCode(), me.current().org().name(),
                        java.util.EnumSet.allOf(SetupScope.class), null));
            }
        }
        if (access.isEmpty()) {
            return ErrorPage.page(401, "Setup link needed", "Open the setup link you were given (it may have expired or been "
                    + "revoked: ask for a new one), or sign in as an administrator of your organization.", null);
        }
        return page.apply(access.get());
    }

    private static Response require(SetupAccess access, SetupScope scope, Supplier<Response> page) {
        if (!access.allows(scope)) {
            return ErrorPage.page(403, "Not part of this setup", "Your setup link does not cover this part of the setup.", null);
        }
        return page.get();
    }

    /** The action as the setup link's org admin stand-in (a link), or as the signed-in admin. */
    private <T> T as(SetupAccess access, Supplier<T> action) {
        return access.viaLink() ? callers.actingAs(Caller.setupLink(access.orgId(), access.orgCode()), action) : action.get();
    }

    /** A form post: CSRF, access, scope; the action (as {@link #as}) names where to go next; a refusal is shown. */
    private Response posted(String session, HttpHeaders headers, String token, SetupScope scope, UUID connectionId,
                            Function<SetupAccess, String> action) {
        Pages.Form form = Pages.checkedForm(csrf, headers, token);
        return withAccess(session, access -> require(access, scope, () -> {
            try {
                return Response.seeOther(URI.create(as(access, () -> action.apply(access)))).build();
            } catch (ApiException refused) {
                Problem problem = refused.toProblem();
                return connectionId != null ? connectionHtml(access, connectionId, form, null, problem, problem.status())
                        : homeHtml(access, form, null, null, problem, problem.status());
            }
        }));
    }

    private static final Map<String, String> NOTICES = Map.of(
            "created", "Connection saved as a draft: nobody signs in through it yet.",
            "metadata", "IdP metadata saved.",
            "activated", "Connection activated: people of your organization can sign in through it now.",
            "domain", "Domain added: publish its TXT record, then check it.",
            "domain-verified", "Domain verified.",
            "domain-pending", "The domain's TXT record was not found yet; see the last check.");

    private static String notice(String done) {
        return done == null ? null : NOTICES.get(done);
    }
}
