package io.gatehouse.login;

import io.gatehouse.platform.HtmlPage;
import jakarta.ws.rs.core.Response;

import java.util.UUID;

/**
 * The readable page a refused browser sign-in ends on: what happened in plain words, who must act,
 * and the attempt id an admin finds in the login attempt log. Everything shown is escaped.
 */
public final class ErrorPage {

    private ErrorPage() {
    }

    /** What people read for each reason, and whose side must change. */
    static String explain(LoginFailure reason) {
        return switch (reason) {
            case PASSWORD_USER_NOT_CONVERTED -> "Your account signs in with a password. Ask your administrator to move it to single sign-on.";
            case EMAIL_DOMAIN_NOT_ALLOWED -> "Your identity provider gave an email address outside your organization's domains. Your administrator must fix the account or the org's domains.";
            case EMAIL_NOT_VERIFIED -> "Your identity provider did not confirm that your email address is verified. Your administrator must have the identity provider send email_verified, or verify the address there.";
            case BROWSER_MISMATCH -> "This sign-in was started in another browser (or its cookie expired), so it cannot finish here. Start again from this browser.";
            case VERSION_NOT_SUPPORTED -> "Your identity provider answered in a SAML version Gatehouse does not accept. Your administrator must configure the SAML application for SAML 2.0.";
            case EMAIL_MISSING -> "Your identity provider did not send an email address. Your administrator must release the email claim to Gatehouse.";
            case GROUPS_OVERAGE -> "Your identity provider did not send your groups (you are in too many), and your organization gives roles by group. Your administrator must have it send only the groups assigned to this application.";
            case USER_DISABLED -> "Your account is disabled. Ask your administrator.";
            case NOT_A_MEMBER -> "You are not a member of this account. Ask one of its administrators to add you, or sign in to one of your own accounts.";
            case USER_DEPROVISIONED -> "Your account was removed from this application in your organization's directory. Ask your administrator if you still need access.";
            case TENANT_MISMATCH -> "You signed in to another Microsoft Entra tenant than your organization's. Sign out of Microsoft and try again with your work account.";
            case IDP_ERROR -> "Your identity provider did not sign you in. If this keeps happening, your administrator should check that Gatehouse is assigned to you there.";
            case CLIENT_SECRET_EXPIRED -> "The client secret of your organization's single sign-on has expired. Your administrator must create a new one in the identity provider and save it in Gatehouse.";
            case STATE_INVALID -> "This answer from your identity provider belongs to no sign-in started in this browser (it may have expired). Start again.";
            case IDP_UNREACHABLE -> "Your organization's identity provider cannot be reached right now. Try again in a few minutes; if it keeps happening, your administrator should check the connection.";
            case CODE_EXCHANGE_FAILED -> "Your identity provider refused to complete the sign-in. If it keeps happening, your administrator should check the connection's client ID and secret.";
            case ID_TOKEN_INVALID -> "The identity token from your identity provider could not be verified. Your administrator should check the connection (issuer, client ID).";
            case RESPONSE_MALFORMED -> "The answer from your identity provider could not be read. If this keeps happening, your administrator should check the SAML application in the identity provider.";
            case STATUS_NOT_SUCCESS -> "Your identity provider did not sign you in (it answered with an error). If this keeps happening, your administrator should check that Gatehouse is assigned to you there.";
            case ASSERTION_COUNT, ASSERTION_MALFORMED -> "The answer from your identity provider is not in a form Gatehouse accepts. Your administrator must correct the SAML application in the identity provider.";
            case DECRYPTION_FAILED -> "The encrypted answer from your identity provider could not be decrypted. Your administrator must give the identity provider Gatehouse's current SP metadata (its encryption certificate).";
            case SIGNATURE_MISSING, SIGNATURE_INVALID -> "The answer from your identity provider is not signed by a certificate Gatehouse trusts. Your administrator should refresh the IdP metadata in Gatehouse (the certificate may have rolled over) and make the IdP sign its responses.";
            case SIGNATURE_ALGORITHM_NOT_ALLOWED -> "Your identity provider signs with an algorithm Gatehouse does not accept (such as SHA-1). Your administrator must switch the SAML application to SHA-256.";
            case ISSUER_MISMATCH -> "The answer came from another identity provider than the one configured for your organization. Your administrator should compare the IdP entity ID in Gatehouse with the identity provider's.";
            case AUDIENCE_MISMATCH -> "The answer was meant for another service provider. Your administrator must set the audience (SP entity ID) in the identity provider to the one Gatehouse shows.";
            case RECIPIENT_MISMATCH, DESTINATION_MISMATCH -> "The answer was addressed to another URL. Your administrator must set the ACS URL in the identity provider to the one Gatehouse shows.";
            case ASSERTION_EXPIRED, ASSERTION_NOT_YET_VALID -> "The answer from your identity provider is outside its validity time (it may have taken too long, or a clock is wrong). Try again; if it keeps happening, your administrator should check the identity provider's clock.";
            case IN_RESPONSE_TO_UNKNOWN -> "This answer belongs to no sign-in Gatehouse is waiting for (it may have expired or been used already). Start again.";
            case UNSOLICITED_NOT_ALLOWED -> "Your organization does not allow signing in from the identity provider's portal. Start from the sign-in page instead.";
            case ASSERTION_REPLAYED -> "This answer was already used to sign in. Start again.";
            case CONNECTION_UNAVAILABLE, ORG_MISMATCH, SUBJECT_MISSING -> "Single sign-on for your organization is not available right now. Your administrator should check its configuration.";
            default -> "We could not sign you in.";
        };
    }

    public static Response refused(LoginFailure reason, UUID attemptId) {
        return page(403, "Sign-in refused", explain(reason), attemptId);
    }

    public static Response page(int status, String title, String message, UUID attemptId) {
        return HtmlPage.page(status, title, message, attemptId);
    }

    /** Text made safe for HTML content and quoted attribute values. */
    public static String escape(String text) {
        return HtmlPage.escape(text);
    }
}
