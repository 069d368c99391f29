package io.helios.core.spill;

import javax.crypto.Cipher;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;

/**
 * AES-256-GCM sealing of a spill file's chunks under a key that exists only in this process's
 * memory: what a spill file holds on disk is unreadable once the process is gone, and a chunk that
 * was altered, reordered or cut short fails to open. Each chunk's nonce is its number in the file
 * (a key seals one file only, so no nonce repeats).
 *
 * <p>Not thread-safe: one instance per writer or reader.
 */
final class SealedChunks {

    private static final int TAG_BITS = 128;

    private final SecretKey key;
    private final Cipher cipher;

    SealedChunks(SecretKey key) throws IOException {
        this.key = key;
        try {
            this.cipher = Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IOException("AES-GCM is not available: " + e.getMessage(), e);
        }
    }

    static SecretKey newKey() throws IOException {
        try {
            KeyGenerator generator = KeyGenerator.getInstance("AES");
            generator.init(256);
            return generator.generateKey();
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot make a spill key: " + e.getMessage(), e);
        }
    }

    byte[] seal(long chunk, byte[] plain, int length) throws IOException {
        return run(Cipher.ENCRYPT_MODE, chunk, plain, length);
    }

    byte[] open(long chunk, byte[] sealed) throws IOException {
        return run(Cipher.DECRYPT_MODE, chunk, sealed, sealed.length);
    }

    private byte[] run(int mode, long chunk, byte[] input, int length) throws IOException {
        try {
            cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce(chunk)));
            return cipher.doFinal(input, 0, length);
        } catch (GeneralSecurityException e) {
            throw new IOException("spill chunk " + chunk + " cannot be " + (mode == Cipher.ENCRYPT_MODE ? "sealed" : "opened")
                    + " (altered or cut short?): " + e.getMessage(), e);
        }
    }

    private static byte[] nonce(long chunk) {
        return ByteBuffer.allocate(12).putInt(0).putLong(chunk).array();
    }
}
