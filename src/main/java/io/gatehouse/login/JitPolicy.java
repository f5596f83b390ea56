package io.gatehouse.login;

import io.gatehouse.user.User;

import java.util.Locale;
import java.util.Set;

/**
 * Who an external identity signs in as, decided from what the database already holds. Pure: the
 * caller looks the candidates up and carries the decision out. The rules, in order:
 * an identity link wins; otherwise the email must be in the org's domains (when it has any); a user of
 * the org with that email who is under SSO (or was converted) is linked; a password user with that
 * email is refused unless the org opts in to linking; nobody found → a new SSO user.
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
     * @param linked            the user the identity is linked to, or null
     * @param sameEmail         the org's user with the identity's email, or null
     * @param orgDomains        the org's domains (lower case); empty: any domain
     * @param linkPasswordUsers whether the org links unconverted password users by email
     */
    public static Decision decide(ExternalIdentity identity, User linked, User sameEmail, Set<String> orgDomains,
                                  boolean linkPasswordUsers) {
        String email = identity.email();
        if (email != null && !orgDomains.isEmpty() && !orgDomains.contains(domainOf(email))) {
            return new Refuse(LoginFailure.EMAIL_DOMAIN_NOT_ALLOWED);
        }
        if (linked != null) {
            return active(linked) ? new SignInLinked(linked) : new Refuse(LoginFailure.USER_DISABLED);
        }
        if (email == null) {
            return new Refuse(LoginFailure.EMAIL_MISSING);
        }
        if (sameEmail == null) {
            return new CreateUser();
        }
        if (!active(sameEmail)) {
            return new Refuse(LoginFailure.USER_DISABLED);
        }
        boolean underSso = sameEmail.getAuthMode().equals(User.SSO) || sameEmail.getConvertedToSsoAt() != null;
        return underSso || linkPasswordUsers
                ? new LinkExisting(sameEmail)
                : new Refuse(LoginFailure.PASSWORD_USER_NOT_CONVERTED);
    }

    static String domainOf(String email) {
        return email.substring(email.lastIndexOf('@') + 1).toLowerCase(Locale.ROOT);
    }

    private static boolean active(User user) {
        return user.getStatus().equals(User.ACTIVE);
    }
}
