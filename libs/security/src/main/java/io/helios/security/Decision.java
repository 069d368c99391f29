package io.helios.security;

/**
 * The answer of {@link AccessPolicy#decide}: allowed, or refused with a reason fit to show the
 * caller (it names the role or restriction that is missing, never a secret).
 */
public record Decision(boolean allowed, String reason) {

    static final Decision ALLOW = new Decision(true, "allowed");

    static Decision deny(String reason) {
        return new Decision(false, reason);
    }
}
