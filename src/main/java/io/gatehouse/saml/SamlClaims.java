package io.gatehouse.saml;

import io.gatehouse.login.ExternalIdentity;
import io.gatehouse.login.LoginFailure;
import io.gatehouse.org.ClaimMapping;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A verified assertion → the person. Subject: the NameID (or the attribute the connection names).
 * Email: the connection's attribute, else the usual names of Entra / ADFS, Okta, Google, OneLogin,
 * Shibboleth and Keycloak, else the NameID when it is an email. Names and groups likewise.
 * Attribute names are compared case-insensitively. A SAML email counts as verified only at one of
 * the org's verified domains (login completion decides). Pure.
 */
public final class SamlClaims {

    static final List<String> EMAIL = List.of("email", "mail", "emailaddress", "email_address", "user.email",
            "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress",
            "http://schemas.xmlsoap.org/claims/emailaddress",
            "urn:oid:0.9.2342.19200300.100.1.3");
    static final List<String> DISPLAY_NAME = List.of("displayname", "name", "cn", "fullname",
            "http://schemas.microsoft.com/identity/claims/displayname",
            "urn:oid:2.16.840.1.113730.3.1.241", "urn:oid:2.5.4.3");
    static final List<String> FIRST_NAME = List.of("firstname", "first_name", "givenname", "given_name", "user.firstname",
            "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname", "urn:oid:2.5.4.42");
    static final List<String> LAST_NAME = List.of("lastname", "last_name", "surname", "sn", "family_name", "user.lastname",
            "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname", "urn:oid:2.5.4.4");
    static final List<String> GROUPS = List.of("groups", "group", "memberof", "role", "roles",
            "http://schemas.microsoft.com/ws/2008/06/identity/claims/groups",
            "http://schemas.microsoft.com/ws/2008/06/identity/claims/role",
            "urn:oid:1.3.6.1.4.1.5923.1.5.1.1");

    private SamlClaims() {
    }

    /** The identity, or the reason it cannot be one. */
    public record Result(ExternalIdentity identity, LoginFailure failure) {
    }

    public static Result map(SamlConnection connection, SamlResponseValidator.Verified assertion) {
        ClaimMapping mapping = connection.settings().attributeMapping();
        Map<String, List<String>> attributes = assertion.attributes();
        String subject = mapping != null && mapping.subject() != null ? first(attributes, List.of(mapping.subject()))
                : assertion.nameId();
        if (subject == null || subject.isBlank()) {
            return new Result(null, LoginFailure.SUBJECT_MISSING);
        }
        String email = first(attributes, mapping != null && mapping.email() != null ? List.of(mapping.email()) : EMAIL);
        if (email == null && looksLikeEmail(assertion.nameId())) {
            email = assertion.nameId();
        }
        String name = first(attributes, mapping != null && mapping.name() != null ? List.of(mapping.name()) : DISPLAY_NAME);
        if (name == null) {
            String given = first(attributes, mapping != null && mapping.firstName() != null ? List.of(mapping.firstName()) : FIRST_NAME);
            String family = first(attributes, mapping != null && mapping.lastName() != null ? List.of(mapping.lastName()) : LAST_NAME);
            name = given == null ? family : family == null ? given : given + " " + family;
        }
        List<String> groups = all(attributes, mapping != null && mapping.groups() != null ? List.of(mapping.groups()) : GROUPS);
        return new Result(new ExternalIdentity(connection.orgId(), connection.id(), "saml", subject.strip(),
                email == null ? null : email.strip(), name, groups, assertion.sessionIndex(), false, true), null);
    }

    private static boolean looksLikeEmail(String value) {
        return value != null && value.matches("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$");
    }

    private static String first(Map<String, List<String>> attributes, List<String> names) {
        List<String> values = all(attributes, names);
        return values.isEmpty() ? null : values.get(0);
    }

    private static List<String> all(Map<String, List<String>> attributes, List<String> names) {
        for (String wanted : names) {
            for (Map.Entry<String, List<String>> attribute : attributes.entrySet()) {
                if (attribute.getKey().toLowerCase(Locale.ROOT).equals(wanted.toLowerCase(Locale.ROOT)) && !attribute.getValue().isEmpty()) {
                    return attribute.getValue();
                }
            }
        }
        return List.of();
    }
}
