package io.gatehouse.web;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.ext.Provider;

/**
 * Security headers on every HTML answer: a CSP that allows only Gatehouse's own stylesheet and script
 * (no inline script or style), no framing, no Referer (tokens in URLs must not leak), no MIME
 * sniffing, no caching. A page that needs more (the SSO start form posts on to the IdP) sets its own.
 */
@Provider
public class PageHeaders implements ContainerResponseFilter {

    static final String CSP = "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self'; "
            + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        MediaType type = response.getMediaType();
        if (type == null || !type.isCompatible(MediaType.TEXT_HTML_TYPE)) {
            return;
        }
        var headers = response.getHeaders();
        headers.putIfAbsent("Content-Security-Policy", java.util.List.of(CSP));
        headers.putIfAbsent("Referrer-Policy", java.util.List.of("no-referrer"));
        headers.putIfAbsent("X-Content-Type-Options", java.util.List.of("nosniff"));
        headers.putIfAbsent("X-Frame-Options", java.util.List.of("DENY"));
        headers.putIfAbsent("Cache-Control", java.util.List.of("no-store"));
    }
}
