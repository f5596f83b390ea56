package io.gatehouse.saml;

import io.gatehouse.org.ConnectionView;
import io.gatehouse.platform.ApiException;
import io.quarkus.security.Authenticated;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.UUID;

/** A SAML connection's IdP metadata: uploaded, or fetched again from its URL. */
@Path("/v1/orgs/{org}/connections/{id}/metadata")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Connections")
@SecurityRequirement(name = "bearer")
public class SamlMetadataResource {

    private final SamlConnections connections;

    public SamlMetadataResource(SamlConnections connections) {
        this.connections = connections;
    }

    @PUT
    @Consumes({"application/samlmetadata+xml", MediaType.APPLICATION_XML, MediaType.TEXT_XML})
    @Operation(summary = "SAML: upload the IdP's metadata XML (entity ID, SSO URL, signing certificates are read from it)")
    public ConnectionView upload(@PathParam("org") String org, @PathParam("id") UUID id,
                                 @QueryParam("idp_entity_id") String idpEntityId, byte[] xml) {
        if (xml == null || xml.length == 0) {
            throw ApiException.invalidField("metadata_xml", "the request body must be the IdP's metadata XML");
        }
        return connections.uploadMetadata(org, id, xml, idpEntityId);
    }

    @POST
    @Path("/refresh")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "SAML: fetch the IdP's metadata again from the connection's metadata_url")
    public ConnectionView refresh(@PathParam("org") String org, @PathParam("id") UUID id,
                                  @QueryParam("idp_entity_id") String idpEntityId) {
        return connections.refreshMetadata(org, id, idpEntityId);
    }
}
