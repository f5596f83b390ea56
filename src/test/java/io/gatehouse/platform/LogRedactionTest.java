package io.gatehouse.platform;

import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.Test;

import java.util.logging.Level;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the log filter takes out of a line, and what it leaves. */
class LogRedactionTest {

    @Test
    void secretsAndPersonalDataAreReplaced() {
        assertEquals("ID token verification has failed: JWT (claims->[redacted]) rejected",
                LogRedaction.redact("ID token verification has failed: JWT (claims->{\"sub\":\"s\",\"email\":\"jane@acme.example\"}) rejected"));
        assertEquals("token [jwt] refused", LogRedaction.redact("token eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJqYW5lIn0.c2lnbmF0dXJl refused"));
        assertEquals("user [email] locked", LogRedaction.redact("user jane.doe+x@mail.acme.example locked"));
        assertEquals("got [saml] end", LogRedaction.redact("got <saml2:Assertion ID=\"_a\"><x/></saml2:Assertion> end"));
        assertEquals("SAMLResponse=[base64]", LogRedaction.redact("SAMLResponse=" + "PHNhbWxwOlJlc3BvbnNl".repeat(10)));
    }

    @Test
    void ordinaryLinesStayAsTheyAre() {
        String line = "login outcome=failure protocol=saml org=7b1c4a4e-0000-4000-8000-000000000001 attempt=1 reason=signature_invalid";
        assertEquals(line, LogRedaction.redact(line));
        assertEquals("Outbound connection to https://idp.example.com:443 refused: 10.0.0.1 is a private address (10.0.0.0/8)",
                LogRedaction.redact("Outbound connection to https://idp.example.com:443 refused: 10.0.0.1 is a private address (10.0.0.0/8)"));
    }

    @Test
    void aRecordAndItsExceptionChainAreRedacted() {
        ExtLogRecord record = new ExtLogRecord(Level.SEVERE, "refused {0}", "x");
        record.setParameters(new Object[] {"jane@acme.example"});
        record.setThrown(new IllegalStateException("outer", new RuntimeException("claims->{\"email\":\"jane@acme.example\"})")));
        assertTrue(new LogRedaction().isLoggable(record));
        assertEquals("refused [email]", record.getFormattedMessage());
        Throwable thrown = record.getThrown();
        assertEquals("java.lang.IllegalStateException: outer", thrown.toString());
        assertFalse(thrown.getCause().getMessage().contains("jane"), thrown.getCause().getMessage());
        Throwable clean = new IllegalStateException("nothing secret");
        assertSame(clean, LogRedaction.redacted(clean));
        assertNotSame(thrown, LogRedaction.redacted(new RuntimeException("mail jane@acme.example")));
    }
}
