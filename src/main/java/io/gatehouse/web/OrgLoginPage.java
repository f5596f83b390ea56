package io.gatehouse.web;

import io.gatehouse.login.ErrorPage;
import io.gatehouse.org.ConnectionService;
import io.gatehouse.org.ConnectionView;
import io.gatehouse.platform.GatehouseConfig;
import io.gatehouse.platform.SignInLookups;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/**
 * An org's own sign-in page, {@code /o/{org}} (and the root of a host the operator maps to the org): its
 * name, a button per usable connection in the IdP's own words ("Sign in with Microsoft"), and the password
 * form only while the org does not enforce single sign-on.
 */
@Path("/o")
@Produces(MediaType.TEXT_HTML)
@Tag(name = "Pages")
public class OrgLoginPage {

    @Inject
    @Location("org-login.html")
    Template page;

    private final ConnectionService connections;
    private final GatehouseConfig config;
    private final Csrf csrf;
    private final SignInLookups lookups;

    public OrgLoginPage(ConnectionService connections, GatehouseConfig config, Csrf csrf, SignInLookups lookups) {
        this.lookups = lookups;
        this.connections = connections;
        this.config = config;
        this.csrf = csrf;
    }

    /** One button: where it starts the sign-in, and what it says. */
    public record Choice(UUID id, String href, String label) {
    }

    @GET
    @Path("/{org}")
    @Operation(summary = "The org's own sign-in page: one button per connection, and passwords unless SSO is enforced")
    public Response orgPage(@PathParam("org") String org, @QueryParam("return_to") String returnTo, @Context HttpHeaders headers) {
        return render(org, returnTo, headers);
    }

    /** The page of an org, or a 404 page when there is no such org. */
    Response render(String org, String returnTo, HttpHeaders headers) {
        Optional<Offer> found = org == null || org.length() > 64 ? Optional.empty()
                : lookups.get("page:" + org, () -> connections.signInChoices(org).map(OrgLoginPage::offer));
        if (found.isEmpty()) {
            return ErrorPage.page(404, "Unknown organization", "There is no organization at this address. Check the link you were given.", null);
        }
        Offer offer = found.get();
        List<Choice> buttons = offer.buttons().stream()
                .map(b -> new Choice(b.id(), href(offer.configurationCode(), b, returnTo, offer.account()), b.label())).toList();
        Pages.Form form = Pages.form(csrf, headers);
        return Pages.html(page.data("orgName", offer.orgName()).data("choices", buttons)
                .data("passwords", !offer.ssoEnforced()).data("returnTo", returnTo).data("csrf", form.token()), form, 200);
    }

    /** What an org's page offers, as {@link SignInLookups} holds it: no secret, no certificate. */
    record Offer(String orgName, boolean ssoEnforced, String configurationCode, String account, List<Button> buttons) {
    }

    record Button(UUID id, boolean oidc, String label) {
    }

    private static Offer offer(ConnectionService.SignInChoices choices) {
        return new Offer(choices.orgName(), choices.ssoEnforced(), choices.configurationCode(),
                choices.configurationCode().equals(choices.orgCode()) ? null : choices.orgCode(),
                choices.connections().stream().map(c -> new Button(c.id(), c.type().isOidc(), label(c))).toList());
    }

    /** The org mapped to this Host (without its port), if the operator mapped one. */
    Optional<String> orgOfHost(String host) {
        if (host == null || config.orgHosts().isEmpty()) {
            return Optional.empty();
        }
        String name = host.toLowerCase(Locale.ROOT);
        int colon = name.lastIndexOf(':');
        if (colon > 0 && !name.endsWith("]")) {
            name = name.substring(0, colon);
        }
        return Optional.ofNullable(config.orgHosts().get(name));
    }

    private static String href(String org, Button b, String returnTo, String account) {
        UriBuilder start = UriBuilder.fromPath(io.gatehouse.org.SsoUrls.signInPath(org, b.oidc()))
                .queryParam("connection", b.id());
        if (account != null) {
            start.queryParam("account", account);
        }
        if (returnTo != null && !returnTo.isBlank()) {
            start.queryParam("return_to", returnTo);
        }
        return start.build().toString();
    }

    /** The button's words: the IdP's brand when the connection's IdP says who it is, else the connection's name. */
    static String label(ConnectionView c) {
        String where = String.join(" ", c.settings().tenantId() != null ? "login.microsoftonline.com" : "",
                c.settings().issuer() == null ? "" : c.settings().issuer(),
                c.idp() == null ? "" : c.idp().entityId() + " " + c.idp().ssoUrl()).toLowerCase(Locale.ROOT);
        String brand = c.type() == io.gatehouse.org.ConnectionType.AZURE_AD || where.contains("microsoftonline.com")
                || where.contains("sts.windows.net") ? "Microsoft"
                : where.contains("okta.com") || where.contains("oktapreview.com") ? "Okta"
                : where.contains("google.com") ? "Google"
                : where.contains("onelogin.com") ? "OneLogin"
                : where.contains("jumpcloud.com") ? "JumpCloud"
                : where.contains("pingone.") || where.contains("pingidentity.com") ? "PingOne"
                : where.contains("auth0.com") ? "Auth0" : null;
        if (brand != null) {
            return "Sign in with " + brand;
        }
        return c.name() != null && !c.name().isBlank() ? "Sign in with " + c.name() : "Sign in with single sign-on";
    }
}
