package io.gatehouse.user;

import io.gatehouse.org.LoginNames;
import io.gatehouse.org.Org;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.util.Locale;
import java.util.Optional;

/**
 * The one login namespace people type into (username, company code, work email), as far as usernames
 * go. A username is compared as the sign-in lookup compares it (stripped, case-insensitive); it may not
 * be any org's code; an email-shaped one belongs to the org that verified its domain; one of the form
 * {@code <code>+…} belongs to the org with that code (JIT names people whose email domain the org has
 * not verified that way, so no other org can claim their name).
 */
@ApplicationScoped
public class Usernames implements LoginNames {

    private final UserRepository users;

    public Usernames(UserRepository users) {
        this.users = users;
    }

    @Override
    @Transactional
    public boolean usernameExists(String name) {
        return users.usernameTaken(normalize(name));
    }

    /** How a username is compared: as {@code /v1/sso/start} looks it up. */
    static String normalize(String username) {
        return username.strip().toLowerCase(Locale.ROOT);
    }

    /**
     * Why this org may not give a person this username, or empty.
     *
     * @param orgOfCode the org whose code the username is, or whose code stands before its {@code +}
     */
    static Optional<String> problem(Org org, String username, Optional<Org> orgOfCode) {
        String name = normalize(username);
        int at = name.lastIndexOf('@');
        if (at >= 0 && !org.getDomains().contains(name.substring(at + 1))) {
            return Optional.of("an email-shaped username needs a domain your org has verified (" + name.substring(at + 1) + " is not)");
        }
        if (orgOfCode.isPresent() && name.equals(orgOfCode.get().getCode())) {
            return Optional.of("is an organization's company code");
        }
        if (orgOfCode.isPresent() && !orgOfCode.get().getId().equals(org.getId())) {
            return Optional.of("names another organization (" + orgOfCode.get().getCode() + "+…)");
        }
        return Optional.empty();
    }

    /** The org code a username names: all of it, or what stands before its first {@code +}. */
    static String codePart(String username) {
        String name = normalize(username);
        int plus = name.indexOf('+');
        return plus > 0 ? name.substring(0, plus) : name;
    }

    /**
     * The username JIT gives a person: their email where the org verified its domain, else
     * {@code <org code>+<email with @ as .>}, in the org's own part of the namespace.
     */
    static String forJit(Org org, String email) {
        String lower = email.toLowerCase(Locale.ROOT);
        int at = lower.lastIndexOf('@');
        return at > 0 && org.getDomains().contains(lower.substring(at + 1)) ? lower
                : org.getCode() + "+" + lower.replace('@', '.');
    }
}
