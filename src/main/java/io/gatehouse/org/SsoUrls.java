package io.gatehouse.org;

/**
 * The URLs an admin pastes into their IdP, all built from the public URL (never a request's Host).
 *
 * @param loginUrl             the org's own sign-in page ({@code /o/{org}}) to share with its people
 * @param redirectUri          OIDC: the one redirect URI shared by every org
 * @param frontchannelLogoutUrl OIDC: front-channel logout URL
 * @param backchannelLogoutUrl  OIDC: back-channel logout URL (the IdP POSTs a logout token)
 * @param postLogoutRedirectUri OIDC: where the IdP sends the browser back after RP-initiated logout
 * @param entityId             SAML: the SP entity ID, which is also the audience URI and the SP-initiated login URL
 * @param acsUrl               SAML: the Assertion Consumer Service URL
 * @param acsUrlQueryForm      SAML: the same ACS with the org as a query parameter, for IdPs that want one fixed path
 * @param metadataUrl          SAML: the SP metadata
 * @param sloUrl               SAML: the Single Logout service (HTTP-Redirect and HTTP-POST bindings)
 */
public record SsoUrls(String loginUrl, String redirectUri, String frontchannelLogoutUrl, String backchannelLogoutUrl,
                      String postLogoutRedirectUri, String entityId,
                      String acsUrl, String acsUrlQueryForm, String metadataUrl, String sloUrl) {

    /**
     * Where a sign-in through one of the org's connections starts (relative to the public URL): the OIDC
     * login endpoint, or the SAML SP-initiated one, which is also the SP entity ID's path.
     */
    public static String signInPath(String orgCode, boolean oidc) {
        return oidc ? "/v1/oidc/" + orgCode + "/login" : "/v1/saml/" + orgCode;
    }

    /** The URLs of an org, given the public base URL (no trailing slash) and the org's code. */
    public static SsoUrls of(String base, String orgCode) {
        String saml = base + signInPath(orgCode, false);
        return new SsoUrls(
                base + "/o/" + orgCode,
                base + "/v1/callback",
                base + "/v1/oidc/" + orgCode + "/frontchannel-logout",
                base + "/v1/oidc/" + orgCode + "/backchannel-logout",
                base + "/logout/done",
                saml,
                saml + "/acs",
                base + "/v1/saml/acs?org=" + orgCode,
                saml + "/metadata",
                saml + "/slo");
    }
}
