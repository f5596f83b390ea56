package io.gatehouse.platform;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.UUID;

/**
 * The one plain page a browser is answered with when something stops it (a refused sign-in, a limit,
 * an outage): a title, a message in plain words, an optional reference for the administrator, and a
 * way to try again; strict headers, never cached. Everything shown is escaped.
 */
public final class HtmlPage {

    private HtmlPage() {
    }

    /** @param reference shown for the administrator (an attempt id), or null */
    public static Response page(int status, String title, String message, UUID reference) {
        String html = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>" + escape(title)
                + "</title><link rel=\"stylesheet\" href=\"/static/app.css\"></head><body>"
                + "<header class=\"top\"><a class=\"brand\" href=\"/\">Gatehouse</a></header>"
                + "<main><section class=\"card narrow\"><h1>" + escape(title) + "</h1><p class=\"reason\">" + escape(message) + "</p>"
                + (reference == null ? "" : "<p class=\"hint\">Reference for your administrator: <code id=\"attempt\">" + reference + "</code></p>")
                + "<p><a class=\"button secondary\" href=\"/login/sso\">Try again</a></p></section></main></body></html>";
        return Response.status(status).type(MediaType.TEXT_HTML_TYPE.withCharset("utf-8")).entity(html)
                .header("Cache-Control", "no-store")
                .header("Content-Security-Policy", "default-src 'none'; style-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'")
                .header("Referrer-Policy", "no-referrer").header("X-Content-Type-Options", "nosniff").build();
    }

    /** Text made safe for HTML content and quoted attribute values. */
    public static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
