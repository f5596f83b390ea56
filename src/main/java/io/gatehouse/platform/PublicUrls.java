package io.gatehouse.platform;

import jakarta.enterprise.context.ApplicationScoped;

import java.net.URI;

/** Absolute URLs of Gatehouse, always from {@code gatehouse.public-url}, never from a request's Host. */
@ApplicationScoped
public class PublicUrls {

    private final String base;

    public PublicUrls(GatehouseConfig config) {
        String url = config.publicUrl();
        this.base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /** The public base URL, without a trailing slash. */
    public String base() {
        return base;
    }

    /** The absolute URL of a path such as {@code /v1/orgs/acme}. */
    public URI of(String path) {
        return URI.create(base + path);
    }
}
