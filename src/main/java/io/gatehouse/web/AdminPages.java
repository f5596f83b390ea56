package io.gatehouse.web;

import io.gatehouse.login.AttemptView;
import io.gatehouse.login.ErrorPage;
import io.gatehouse.login.LoginAttemptService;
import io.gatehouse.login.PersonSessions;
import io.gatehouse.org.ConnectionRequest;
import io.gatehouse.org.ClaimMapping;
import io.gatehouse.org.ConnectionService;
import io.gatehouse.org.ConnectionSettings;
import io.gatehouse.org.DomainService;
import io.gatehouse.platform.ApiException;
import io.gatehouse.platform.Caller;
import io.gatehouse.platform.Page;
import io.gatehouse.platform.Problem;
import io.gatehouse.saml.SamlConnections;
import io.gatehouse.user.UserRequest;
import io.gatehouse.user.UserService;
import io.gatehouse.user.UserView;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.inject.Inject;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import jakarta.ws.rs.Consumes;
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

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The org admin's pages: SSO settings, users, the sign-in log. Every action goes through the same
 * services as the REST API, as the signed-in user, so a page can do nothing the API would refuse.
 * Every post carries a CSRF token; every success redirects (post/redirect/get).
 */
@Path("/admin")
@Produces(MediaType.TEXT_HTML)
@Tag(name = "Pages")
public class AdminPages {

    private static final Map<String, String> NOTICES = Map.ofEntries(
            Map.entry("created", "Connection saved."),
            Map.entry("changed", "Connection updated."),
            Map.entry("deleted", "Connection deleted."),
            Map.entry("metadata", "IdP metadata updated."),
            Map.entry("roles", "Roles saved."),
            Map.entry("converted", "Moved to single sign-on."),
            Map.entry("unlocked", "Password sign-in unlocked."),
            Map.entry("signed-out", "Signed out everywhere: every session of that person has ended."),
            Map.entry("domain", "Domain added: publish its TXT record, then check it."),
            Map.entry("domain-verified", "Domain verified."),
            Map.entry("domain-pending", "The domain's TXT record was not found yet; see the last check."),
            Map.entry("token-revoked", "SCIM token revoked: it stopped working."),
            Map.entry("mappings", "Mappings saved: everyone's roles from groups are recomputed."));

    @Inject
    @Location("admin/sso.html")
    Template sso;
    @Inject
    @Location("admin/users.html")
    Template usersPage;
    @Inject
    @Location("admin/attempts.html")
    Template attemptsPage;
    @Inject
    @Location("admin/directory.html")
    Template directoryPage;
    @Inject
    io.gatehouse.directory.DirectoryOverview directory;
    @Inject
    io.gatehouse.directory.ScimTokens scimTokens;

    private final ConnectionService connections;
    private final SamlConnections samlConnections;
    private final DomainService domains;
    private final PersonSessions personSessions;
    private final UserService users;
    private final LoginAttemptService attempts;
    private final SecurityIdentity identity;
    private final Csrf csrf;
    private final Validator validator;

    public AdminPages(ConnectionService connections, SamlConnections samlConnections, DomainService domains,
                      PersonSessions personSessions, UserService users,
                      LoginAttemptService attempts, SecurityIdentity identity, Csrf csrf, Validator validator) {
        this.connections = connections;
        this.samlConnections = samlConnections;
        this.domains = domains;
        this.personSessions = personSessions;
        this.users = users;
        this.attempts = attempts;
        this.identity = identity;
        this.csrf = csrf;
        this.validator = validator;
    }

    @GET
    @Operation(summary = "The admin pages start at the SSO settings")
    public Response index() {
        return Response.seeOther(URI.create("/admin/sso")).build();
    }

    // --- SSO settings -----------------------------------------------------------------------------

    @GET
    @Path("/sso")
    @Operation(summary = "SSO settings page: values for the IdP, connections, add / change / remove")
    public Response ssoPage(@QueryParam("done") String done, @Context HttpHeaders headers) {
        return asAdmin("/admin/sso", caller -> ssoHtml(caller, Pages.form(csrf, headers), notice(done), null, 200));
    }

    @POST
    @Path("/sso/connections")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    public Response addConnection(@RestForm String csrf, @RestForm String type, @RestForm("tenant_id") String tenantId,
                                  @RestForm("client_id") String clientId, @RestForm("client_secret") String clientSecret,
                                  @RestForm("client_secret_expires_at") String secretExpiry, @RestForm String issuer,
                                  @RestForm("metadata_url") String metadataUrl, @RestForm("metadata_file") FileUpload metadataFile,
                                  @Context HttpHeaders headers) {
        return posted(SSO, csrf, headers, caller -> {
            ConnectionSettings settings = ConnectionSettings.of(blank(tenantId), blank(clientId), blank(issuer),
                    "oidc".equals(type) ? List.of("openid", "email", "profile") : null, blank(metadataUrl));
            connections.create(caller.orgCode(), ConnectionRequest.toCreate(blank(type), settings, blank(clientSecret),
                    date(secretExpiry), text(metadataFile)));
            return "created";
        });
    }

    @POST
    @Path("/sso/connections/{id}/{action:enable|disable|default|delete}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response changeConnection(@PathParam("id") UUID id, @PathParam("action") String action,
                                     @FormParam("csrf") String token, @Context HttpHeaders headers) {
        return posted(SSO, token, headers, caller -> {
            switch (action) {
                case "delete" -> connections.delete(caller.orgCode(), id);
                case "default" -> connections.update(caller.orgCode(), id, ConnectionRequest.toMakeDefault());
                default -> connections.update(caller.orgCode(), id, ConnectionRequest.toEnable(action.equals("enable")));
            }
            return action.equals("delete") ? "deleted" : "changed";
        });
    }

    @POST
    @Path("/sso/connections/{id}/edit")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response editConnection(@PathParam("id") UUID id, @FormParam("csrf") String token, @FormParam("name") String name,
                                   @FormParam("tenant_id") String tenantId, @FormParam("client_id") String clientId,
                                   @FormParam("issuer") String issuer, @FormParam("allow_idp_initiated") String allowIdpInitiated,
                                   @FormParam("sign_requests") String signRequests, @FormParam("email_attribute") String emailAttribute,
                                   @Context HttpHeaders headers) {
        return posted(SSO, token, headers, caller -> {
            boolean saml = connections.get(caller.orgCode(), id).type() == io.gatehouse.org.ConnectionType.SAML;
            // Unchecked boxes are not sent: for SAML they mean false.
            ConnectionSettings settings = ConnectionSettings.of(blank(tenantId), blank(clientId), blank(issuer), null, null);
            if (saml) {
                settings = settings.withSamlOptions("true".equals(allowIdpInitiated), "true".equals(signRequests),
                        blank(emailAttribute) != null ? new ClaimMapping(null, blank(emailAttribute), null, null, null, null) : null);
            }
            connections.update(caller.orgCode(), id, ConnectionRequest.toChange(blank(name), settings));
            return "changed";
        });
    }

    @POST
    @Path("/sso/connections/{id}/secret")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response newSecret(@PathParam("id") UUID id, @FormParam("csrf") String token,
                              @FormParam("client_secret") String secret, @FormParam("client_secret_expires_at") String expiry,
                              @Context HttpHeaders headers) {
        return posted(SSO, token, headers, caller -> {
            connections.update(caller.orgCode(), id, ConnectionRequest.toReplaceSecret(blank(secret), date(expiry)));
            return "changed";
        });
    }

    @POST
    @Path("/sso/connections/{id}/metadata")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    public Response newMetadata(@PathParam("id") UUID id, @RestForm String csrf, @RestForm("metadata_url") String metadataUrl,
                                @RestForm("metadata_file") FileUpload metadataFile, @Context HttpHeaders headers) {
        return posted(SSO, csrf, headers, caller -> {
            samlConnections.replaceMetadata(caller.orgCode(), id, text(metadataFile), blank(metadataUrl));
            return "metadata";
        });
    }

    @POST
    @Path("/sso/domains")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response addDomain(@FormParam("csrf") String token, @FormParam("domain") String domain, @Context HttpHeaders headers) {
        return posted(SSO, token, headers, caller -> {
            domains.add(caller.orgCode(), domain);
            return "domain";
        });
    }

    @POST
    @Path("/sso/domains/{domain}/verify")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response verifyDomain(@PathParam("domain") String domain, @FormParam("csrf") String token, @Context HttpHeaders headers) {
        return posted(SSO, token, headers, caller -> "verified".equals(domains.verify(caller.orgCode(), domain).status())
                ? "domain-verified" : "domain-pending");
    }

    private Response ssoHtml(Caller caller, Pages.Form form, String notice, Problem problem, int status) {
        TemplateInstance page = Pages.withProblem(sso.data("overview", connections.overview(caller.orgCode()))
                .data("domains", domains.list(caller.orgCode())).data("csrf", form.token())
                .data("admin", true).data("notice", notice), problem);
        return Pages.html(page, form, status);
    }

    // --- Users ------------------------------------------------------------------------------------

    /** A user as the users page lists them. */
    public record UserRow(UUID id, String name, String username, String email, String roles, String authMode,
                          String status, String lastLoginAt, String lockedUntil) {
        static UserRow of(UserView u, java.time.Instant lockedUntil) {
            return new UserRow(u.id(), u.displayName() != null ? u.displayName() : u.username(), u.username(), u.email(),
                    String.join(", ", u.roles()), u.authMode(), u.status(),
                    u.lastLoginAt() == null ? null : u.lastLoginAt().toString(),
                    lockedUntil == null ? null : lockedUntil.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
        }
    }

    @GET
    @Path("/users")
    @Operation(summary = "Users page: search, roles, move to SSO")
    public Response usersPage(@QueryParam("q") String q, @QueryParam("after") String after, @QueryParam("done") String done,
                              @Context HttpHeaders headers) {
        return asAdmin("/admin/users", caller -> attempt(() -> usersHtml(caller, Pages.form(csrf, headers), q, after,
                notice(done), null, 200), problem -> usersHtml(caller, Pages.form(csrf, headers), null, null, null, problem, problem.status())));
    }

    @POST
    @Path("/users/{id}/roles")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response roles(@PathParam("id") UUID id, @FormParam("csrf") String token, @FormParam("roles") String roles,
                          @Context HttpHeaders headers) {
        return posted(USERS, token, headers, caller -> {
            List<String> list = roles == null ? List.of() : Arrays.stream(roles.split("[,\\s]+")).filter(r -> !r.isBlank()).toList();
            UserRequest request = new UserRequest(null, null, null, null, list, null);
            Set<ConstraintViolation<UserRequest>> violations = validator.validate(request);
            if (!violations.isEmpty()) {
                throw ApiException.violations(violations);
            }
            users.update(caller.orgCode(), id, request);
            return "roles";
        });
    }

    @POST
    @Path("/users/{id}/convert")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response convert(@PathParam("id") UUID id, @FormParam("csrf") String token, @Context HttpHeaders headers) {
        return posted(USERS, token, headers, caller -> {
            users.convertToSso(caller.orgCode(), id);
            return "converted";
        });
    }

    @POST
    @Path("/users/{id}/sign-out")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response signOutEverywhere(@PathParam("id") UUID id, @FormParam("csrf") String token, @Context HttpHeaders headers) {
        return posted(USERS, token, headers, caller -> {
            personSessions.signOutEverywhere(caller.orgCode(), id);
            return "signed-out";
        });
    }

    @POST
    @Path("/users/{id}/unlock")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response unlock(@PathParam("id") UUID id, @FormParam("csrf") String token, @Context HttpHeaders headers) {
        return posted(USERS, token, headers, caller -> {
            users.unlockPassword(caller.orgCode(), id);
            return "unlocked";
        });
    }

    @POST
    @Path("/users/convert-all")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response convertAll(@FormParam("csrf") String token, @Context HttpHeaders headers) {
        return posted(USERS, token, headers, caller -> {
            users.convertAllToSso(caller.orgCode());
            return "converted";
        });
    }

    private Response usersHtml(Caller caller, Pages.Form form, String q, String after, String notice, Problem problem, int status) {
        Page<UserView> page = users.list(caller.orgCode(), blank(q), blank(after), 50);
        List<UserRow> rows = page.data().stream().map(u -> UserRow.of(u, u.authMode().equals("password")
                ? attempts.passwordLockoutEnd(u.username()).orElse(null) : null)).toList();
        TemplateInstance html = Pages.withProblem(usersPage.data("users", rows).data("next", page.nextCursor())
                .data("q", q).data("csrf", form.token()).data("admin", true).data("notice", notice), problem);
        return Pages.html(html, form, status);
    }

    // --- Sign-in log ------------------------------------------------------------------------------

    @GET
    @Path("/attempts")
    @Operation(summary = "Sign-in log page: every attempt with its reason")
    public Response attemptsPage(@QueryParam("after") String after, @Context HttpHeaders headers) {
        return asAdmin("/admin/attempts", caller -> {
            Pages.Form form = Pages.form(csrf, headers);
            Page<AttemptView> page = attempts.list(caller.orgCode(), blank(after), 100);
            return Pages.html(attemptsPage.data("attempts", page.data()).data("next", page.nextCursor()).data("csrf", form.token())
                    .data("admin", true), form, 200);
        });
    }

    // --- helpers ----------------------------------------------------------------------------------

    private Response asAdmin(String path, java.util.function.Function<Caller, Response> page) {
        Caller caller = Pages.caller(identity);
        if (caller == null) {
            return Response.seeOther(URI.create("/login?return_to=" + path)).build();
        }
        if (!Pages.isAdmin(caller)) {
            return ErrorPage.page(403, "Administrators only", "These pages are for your organization's administrators.", null);
        }
        return page.apply(caller);
    }

    /** The admin pages whose forms post here: where a post returns to, and which page shows its refusal. */
    private static final String SSO = "/admin/sso";
    private static final String USERS = "/admin/users";
    private static final String DIRECTORY = "/admin/directory";

    // --- Directory sync ---------------------------------------------------------------------------

    @GET
    @Path("/directory")
    @Operation(summary = "Directory sync page: SCIM base URL, tokens, group → role mappings, provisioned people and groups")
    public Response directoryPage(@QueryParam("done") String done, @Context HttpHeaders headers) {
        return asAdmin(DIRECTORY, caller -> directoryHtml(caller, Pages.form(csrf, headers), null, notice(done), null, 200));
    }

    @POST
    @Path("/directory/tokens")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response newScimToken(@FormParam("csrf") String token, @FormParam("name") String name, @Context HttpHeaders headers) {
        Pages.Form form = Pages.checkedForm(csrf, headers, token);
        return asAdmin(DIRECTORY, caller -> attempt(() -> directoryHtml(caller, form, scimTokens.create(caller.orgCode(), name).token(),
                "Token created: copy it now, it is not shown again.", null, 201),
                problem -> directoryHtml(caller, form, null, null, problem, problem.status())));
    }

    @POST
    @Path("/directory/tokens/{id}/revoke")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response revokeScimToken(@PathParam("id") UUID id, @FormParam("csrf") String token, @Context HttpHeaders headers) {
        return posted(DIRECTORY, token, headers, caller -> {
            scimTokens.revoke(caller.orgCode(), id);
            return "token-revoked";
        });
    }

    @POST
    @Path("/directory/mappings")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response roleMappings(@FormParam("csrf") String token, @FormParam("mappings") String mappings, @Context HttpHeaders headers) {
        return posted(DIRECTORY, token, headers, caller -> {
            directory.replaceMappings(caller.orgCode(), mappings);
            return "mappings";
        });
    }

    private Response directoryHtml(Caller caller, Pages.Form form, String newToken, String notice, Problem problem, int status) {
        TemplateInstance html = Pages.withProblem(directoryPage.data("overview", directory.of(caller.orgCode())).data("newToken", newToken)
                .data("csrf", form.token()).data("admin", true).data("notice", notice), problem);
        return Pages.html(html, form, status);
    }

    /**
     * A form posted by an admin page: the CSRF token checked, the action done as the signed-in admin,
     * then back to the page with the notice the action names; a refusal is shown on the page itself.
     */
    private Response posted(String page, String token, HttpHeaders headers, java.util.function.Function<Caller, String> action) {
        Pages.Form form = Pages.checkedForm(csrf, headers, token);
        return asAdmin(page, caller -> attempt(() -> done(page, action.apply(caller)), problem -> page.equals(USERS)
                ? usersHtml(caller, form, null, null, null, problem, problem.status())
                : page.equals(DIRECTORY) ? directoryHtml(caller, form, null, null, problem, problem.status())
                : ssoHtml(caller, form, null, problem, problem.status())));
    }

    private static Response attempt(Supplier<Response> action, java.util.function.Function<Problem, Response> onProblem) {
        try {
            return action.get();
        } catch (ApiException refused) {
            return onProblem.apply(refused.toProblem());
        }
    }

    private static String notice(String done) {
        return done == null ? null : NOTICES.get(done);
    }

    private static Response done(String page, String notice) {
        return Response.seeOther(URI.create(page + "?done=" + notice)).build();
    }

    static String blank(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    static java.time.Instant date(String value) {
        if (blank(value) == null) {
            return null;
        }
        try {
            return LocalDate.parse(value.strip()).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeParseException e) {
            throw ApiException.invalidField("client_secret_expires_at", "must be a date such as 2027-05-01");
        }
    }

    /** An uploaded file's text; null when no file was chosen. */
    static String text(FileUpload file) {
        if (file == null || file.size() == 0 || file.uploadedFile() == null) {
            return null;
        }
        try {
            return Files.readString(file.uploadedFile());
        } catch (java.nio.charset.MalformedInputException e) {
            throw ApiException.invalidField("metadata_xml", "the uploaded file is not text (UTF-8 XML expected)");
        } catch (IOException e) {
            throw ApiException.invalidField("metadata_xml", "the uploaded file could not be read");
        }
    }
}
