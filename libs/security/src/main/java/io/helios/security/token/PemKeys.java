package io.helios.security.token;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * RSA keys as PEM text: the form in which the local stack hands its public key to the services
 * ({@code helios.security.jwt.public-key}) and keeps its key pair on disk.
 */
public final class PemKeys {

    private static final String PUBLIC = "PUBLIC KEY";
    private static final String PRIVATE = "PRIVATE KEY";

    private PemKeys() {
    }

    public static KeyPair generateRsa() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("RSA is not available", e);
        }
    }

    public static String publicPem(RSAPublicKey key) {
        return pem(PUBLIC, key.getEncoded());
    }

    public static String privatePem(RSAPrivateKey key) {
        return pem(PRIVATE, key.getEncoded());
    }

    /** Reads an X.509 {@code PUBLIC KEY} PEM; line breaks may be missing or escaped as {@code \n}. */
    public static RSAPublicKey parsePublic(String pem) {
        try {
            return (RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(body(pem, PUBLIC)));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("not an RSA public key in PEM form (-----BEGIN PUBLIC KEY-----): "
                    + e.getMessage(), e);
        }
    }

    public static RSAPrivateKey parsePrivate(String pem) {
        try {
            return (RSAPrivateKey) KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(body(pem, PRIVATE)));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("not an RSA private key in PKCS#8 PEM form: " + e.getMessage(), e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static byte[] body(String pem, String type) {
        String text = pem.replace("\\n", "\n")
                .replace("-----BEGIN " + type + "-----", "")
                .replace("-----END " + type + "-----", "")
                .replaceAll("\\s", "");
        return Base64.getDecoder().decode(text);
    }
}
