package io.gatehouse.org;

import io.gatehouse.platform.PublicUrls;
import io.quarkus.security.Authenticated;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;

/** An org's email domains: claimed by its admins, proven by a DNS TXT record. */
@Path("/v1/orgs/{org}/domains")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Orgs")
@SecurityRequirement(name = "bearer")
public class DomainResource {

    private final DomainService domains;
    private final PublicUrls urls;

    public DomainResource(DomainService domains, PublicUrls urls) {
        this.domains = domains;
        this.urls = urls;
    }

    /** {@code {"domain": "acme.com"}} */
    public record DomainRequest(@NotNull(message = "is required") String domain) {
    }

    @GET
    @Operation(summary = "The org's domains: verified, pending (with the TXT record to publish), or expired")
    public List<DomainView> list(@PathParam("org") String org) {
        return domains.list(org);
    }

    @POST
    @Operation(summary = "Claim a domain: pending until gatehouse-domain-verification=<token> is published at _gatehouse.<domain>")
    @RequestBody(content = @Content(examples = @ExampleObject(name = "acme", value = "{\"domain\": \"acme.com\"}")))
    public Response add(@PathParam("org") String org, @NotNull(message = "a JSON body is required") @jakarta.validation.Valid DomainRequest request) {
        DomainService.Added added = domains.add(org, request.domain());
        return added.created()
                ? Response.created(urls.of("/v1/orgs/" + org + "/domains/" + added.domain().domain())).entity(added.domain()).build()
                : Response.ok(added.domain()).build();
    }

    @POST
    @Path("/{domain}/verify")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Check the domain's TXT record now")
    public DomainView verify(@PathParam("org") String org, @PathParam("domain") String domain) {
        return domains.verify(org, domain);
    }

    @DELETE
    @Path("/{domain}")
    @Operation(summary = "Remove a claim, or a verified domain")
    public Response remove(@PathParam("org") String org, @PathParam("domain") String domain) {
        domains.remove(org, domain);
        return Response.noContent().build();
    }
}
