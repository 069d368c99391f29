package io.helios.controlplane.secret;

import io.helios.core.secret.SecretBox;
import org.springframework.stereotype.Component;

import java.util.Base64;
import java.util.UUID;

/**
 * Seals and opens endpoint passwords, binding each to its endpoint id
 * ({@code endpoint:<id>}) so a sealed value copied to another row does not open. Thread-safe.
 */
@Component
public class EndpointSecrets {

    private final SecretBox box;

    public EndpointSecrets(SecretBox box) {
        this.box = box;
    }

    public byte[] seal(UUID endpointId, String password) {
        return box.seal(password, context(endpointId));
    }

    public String open(UUID endpointId, byte[] sealed) {
        return box.open(sealed, context(endpointId));
    }

    /** The sealed password as handed to workers in an {@code EndpointSpec}. */
    public static String toBase64(byte[] sealed) {
        return sealed == null ? null : Base64.getEncoder().encodeToString(sealed);
    }

    private static String context(UUID endpointId) {
        return "endpoint:" + endpointId;
    }
}
