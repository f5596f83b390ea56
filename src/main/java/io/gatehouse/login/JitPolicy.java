package io.gatehouse.login;

import io.gatehouse.user.User;

import java.util.Locale;
import java.util.Set;

/**
 * Who an external identity signs in as, decided from what the database already holds. Pure: the
 * caller looks the candidates up and carries the decision out. An email is trusted only when verified
 * (the IdP says so, or, where the protocol allows it, it is at one of the org's verified domains); an
 * untrusted email never finds, links or passes the domain check. The rules, in order:
 * when the org has domains, the email must be at one of them, and trusted; an identity link wins; a
 * trusted email finds a user of the org under SSO (or converted), who is linked; a password user with
 * that email is refused unless the org opts in to linking; nobody found, or an untrusted email → a new
 * SSO user, linked by subject only.
 */
public final class JitPolicy {

    private JitPolicy() {
    }

    /** What to do. */
    public sealed interface Decision {
    }

    /** Sign in as the already-linked user. */
    public record SignInLinked(User user) implements Decision {
    }

    /** Link the identity to this existing user, then sign in. */
    public record LinkExisting(User user) implements Decision {
    }

    /** Create a new SSO user with the org's default role, link, then sign in. */
    public record CreateUser() implements Decision {
    }

    /** Refuse, for this reason. */
    public record Refuse(LoginFailure reason) implements Decision {
    }

    /**
     * Whether the identity's email may find or link a user: the IdP verified it, or it is at one of the
     * org's verified domains where that vouches for it.
     */
    public static boolean emailTrusted(ExternalIdentity identity, Set<String> orgDomains) {
        String email = identity.email();
        return email != null && (identity.emailVerified()
                || (identity.orgDomainVouches() && orgDomains.contains(domainOf(email))));
    }

    /**
     * @param linked            the user the identity is linked to, or null
     * @param sameEmail         the org's user with the identity's email when that email is trusted, or null
     * @param orgDomains        the org's verified domains (lower case); empty: any domain
     * @param linkPasswordUsers whether the org links unconverted password users by email
     */
    public static Decision decide(ExternalIdentity identity, User linked, User sameEmail, Set<String> orgDomains,
                                  boolean linkPasswordUsers) {
        String email = identity.email();
        boolean trusted = emailTrusted(identity, orgDomains);
        if (email != null && !orgDomains.isEmpty()) {
            if (!orgDomains.contains(domainOf(email))) {
                return new Refuse(LoginFailure.EMAIL_DOMAIN_NOT_ALLOWED);
            }
            if (!trusted) {
                return new Refuse(LoginFailure.EMAIL_NOT_VERIFIED);
            }
        }
        if (linked != null) {
            return active(linked) ? new SignInLinked(linked) : new Refuse(inactive(linked));
        }
        if (email == null) {
            return new Refuse(LoginFailure.EMAIL_MISSING);
        }
        if (!trusted || sameEmail == null) {
            return new CreateUser();
        }
        if (!active(sameEmail)) {
            return new Refuse(inactive(sameEmail));
        }
        boolean underSso = sameEmail.getAuthMode().equals(User.SSO) || sameEmail.getConvertedToSsoAt() != null;
        return underSso || linkPasswordUsers
                ? new LinkExisting(sameEmail)
                : new Refuse(LoginFailure.PASSWORD_USER_NOT_CONVERTED);
    }

    static String domainOf(String email) {
        return email.substring(email.lastIndexOf('@') + 1).toLowerCase(Locale.ROOT);
    }

    /** Why an inactive user may not sign in: the directory removed them, or an admin disabled them. */
    private static LoginFailure inactive(User user) {
        return user.getDeprovisionedAt() != null ? LoginFailure.USER_DEPROVISIONED : LoginFailure.USER_DISABLED;
    }

    private static boolean active(User user) {
        return user.getStatus().equals(User.ACTIVE);
    }
}
