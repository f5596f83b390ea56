package io.gatehouse.login;

import io.gatehouse.platform.GatehouseConfig;
import io.quarkus.security.Authenticated;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The signed-in person's accounts (several under one SSO configuration). */
@Path("/v1/me/accounts")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Sign-in")
@SecurityRequirement(name = "bearer")
public class AccountsMeResource {

    private final AccountSwitch accounts;

    public AccountsMeResource(AccountSwitch accounts) {
        this.accounts = accounts;
    }

    @GET
    @Operation(summary = "The accounts the person belongs to, with their roles in each; current marks the token's")
    public Map<String, List<AccountSwitch.AccountView>> accounts() {
        return Map.of("data", accounts.mine());
    }
}
