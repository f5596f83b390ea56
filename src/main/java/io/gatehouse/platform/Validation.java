package io.gatehouse.platform;

import java.util.regex.Pattern;

/** Shapes of values that several features accept. */
public final class Validation {

    /** A company code: lower-case letters, digits and inner hyphens, 2 to 32 characters. */
    public static final String ORG_CODE = "^[a-z0-9][a-z0-9-]{0,30}[a-z0-9]$";
    /** An email domain such as {@code acme.com}. */
    public static final String DOMAIN = "^(?=.{4,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}$";
    /** A role name: {@code owner}, {@code admin}, {@code member} or the org's own. */
    public static final String ROLE = "^[a-z][a-z0-9_.:-]{0,63}$";
    /** A username: letters, digits and {@code . _ @ + -}, which also covers email-shaped usernames. */
    public static final String USERNAME = "^[A-Za-z0-9][A-Za-z0-9._@+-]{0,127}$";

    private static final Pattern EMAIL = Pattern.compile("^[^@\\s\\p{Cntrl}]{1,64}@" + DOMAIN.substring(1), Pattern.CASE_INSENSITIVE);

    private Validation() {
    }

    public static boolean isEmail(String value) {
        return value != null && value.length() <= 254 && EMAIL.matcher(value).matches();
    }
}
