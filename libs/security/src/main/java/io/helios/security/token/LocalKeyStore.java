package io.helios.security.token;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.RSAPublicKeySpec;

/**
 * The local stack's signing key pair, kept as PEM files in a directory (by default
 * {@code .helios/local/keys}): created on first use, reused afterwards so that tokens minted
 * with {@code ./helios token} stay valid across restarts. Development only: the private key is a
 * plain file readable by its owner.
 */
public final class LocalKeyStore {

    private static final String PRIVATE_FILE = "jwt-signing-key.pem";
    private static final String PUBLIC_FILE = "jwt-public-key.pem";

    private LocalKeyStore() {
    }

    /** Loads the key pair from {@code dir}, or creates and stores one when there is none. */
    public static KeyPair loadOrCreate(Path dir) {
        Path privateFile = dir.resolve(PRIVATE_FILE);
        try {
            if (Files.exists(privateFile)) {
                return fromPrivate(PemKeys.parsePrivate(Files.readString(privateFile)));
            }
            Files.createDirectories(dir);
            KeyPair pair = PemKeys.generateRsa();
            Path tmp = Files.createTempFile(dir, "key", ".tmp");
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: the directory's own protection applies
            }
            Files.writeString(tmp, PemKeys.privatePem((java.security.interfaces.RSAPrivateKey) pair.getPrivate()));
            Files.move(tmp, privateFile, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            Files.writeString(dir.resolve(PUBLIC_FILE),
                    PemKeys.publicPem((java.security.interfaces.RSAPublicKey) pair.getPublic()));
            return pair;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the local signing key under " + dir, e);
        }
    }

    private static KeyPair fromPrivate(java.security.interfaces.RSAPrivateKey key) {
        if (!(key instanceof RSAPrivateCrtKey crt)) {
            throw new IllegalArgumentException("the local signing key lacks its CRT parameters");
        }
        try {
            var pub = KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(crt.getModulus(), crt.getPublicExponent()));
            return new KeyPair(pub, key);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
