package io.gatehouse.user;

/** How many password users were moved under SSO. */
public record ConversionResult(int converted) {
}
