package io.gatehouse.platform;

import io.quarkus.logging.LoggingFilter;
import org.jboss.logmanager.ExtLogRecord;

import java.util.logging.Filter;
import java.util.logging.LogRecord;
import java.util.regex.Pattern;

/**
 * The last guard of every log line, Gatehouse's and its libraries' (quarkus-oidc writes a rejected ID
 * token's claims, email included, into its ERROR line): JWTs, JWT claim sets, email addresses, SAML
 * documents and long base64 runs (a SAMLResponse, a key) are replaced by a marker before the line is
 * written, in its message and in the messages of its exception's chain. Gatehouse's own lines carry ids
 * and reasons, never these; this catches what a library adds.
 */
@LoggingFilter(name = "gatehouse-redact")
public final class LogRedaction implements Filter {

    private static final Pattern CLAIMS = Pattern.compile("claims->\\{.*?\\}\\)", Pattern.DOTALL);
    private static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]{4,}(\\.[A-Za-z0-9_-]*)?");
    private static final Pattern EMAIL = Pattern.compile("[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,}");
    private static final Pattern SAML_XML = Pattern.compile("<(\\w+:)?(Response|Assertion|EncryptedAssertion)\\b.*?(</(\\w+:)?\\2>|$)", Pattern.DOTALL);
    private static final Pattern BASE64 = Pattern.compile("[A-Za-z0-9+/_-]{120,}={0,2}");

    /** The text with every secret-looking part replaced. */
    public static String redact(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String out = CLAIMS.matcher(text).replaceAll("claims->[redacted])");
        out = JWT.matcher(out).replaceAll("[jwt]");
        out = SAML_XML.matcher(out).replaceAll("[saml]");
        out = BASE64.matcher(out).replaceAll("[base64]");
        return EMAIL.matcher(out).replaceAll("[email]");
    }

    @Override
    public boolean isLoggable(LogRecord record) {
        if (record instanceof ExtLogRecord ext) {
            String formatted = ext.getFormattedMessage();
            String redacted = redact(formatted);
            if (redacted != null && !redacted.equals(formatted)) {
                ext.setMessage(redacted, ExtLogRecord.FormatStyle.NO_FORMAT);
                ext.setParameters(null);
            }
        }
        if (record.getThrown() != null) {
            record.setThrown(redacted(record.getThrown()));
        }
        return true;
    }

    /** The exception as it is when no message in its chain needs redacting; else a copy with redacted messages. */
    static Throwable redacted(Throwable thrown) {
        boolean clean = true;
        for (Throwable t = thrown; t != null && clean; t = t.getCause() == t ? null : t.getCause()) {
            String message = t.getMessage();
            clean = message == null || message.equals(redact(message));
        }
        return clean ? thrown : copy(thrown, 0);
    }

    private static Throwable copy(Throwable original, int depth) {
        Throwable cause = original.getCause() != null && original.getCause() != original && depth < 20
                ? copy(original.getCause(), depth + 1) : null;
        Throwable copy = new Redacted(original.getClass().getName(), redact(original.getMessage()), cause);
        copy.setStackTrace(original.getStackTrace());
        return copy;
    }

    /** An exception standing in for one whose message held something that must not be logged. */
    static final class Redacted extends RuntimeException {
        private final String type;

        Redacted(String type, String message, Throwable cause) {
            super(message, cause, false, true);
            this.type = type;
        }

        @Override
        public String toString() {
            return getMessage() == null ? type : type + ": " + getMessage();
        }
    }
}
