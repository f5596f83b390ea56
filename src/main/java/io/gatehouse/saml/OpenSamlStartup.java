package io.gatehouse.saml;

import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;

/** Initializes OpenSAML once when Gatehouse starts, so the first SAML request does not pay for it. */
@Startup
@ApplicationScoped
public class OpenSamlStartup {

    OpenSamlStartup() {
        OpenSaml.initialize();
    }
}
