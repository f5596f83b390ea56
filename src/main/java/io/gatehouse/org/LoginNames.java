package io.gatehouse.org;

/**
 * The people's side of the one login namespace that usernames and company codes share: whether a
 * username exists (case-insensitively), so no org code can be created that a person already types.
 * Implemented by the users package.
 */
public interface LoginNames {

    boolean usernameExists(String name);
}
