package io.helios.core.secret;

import org.junit.jupiter.api.Test;

import java.util.Base64;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SecretBoxTest {

    private static final String K1 = Base64.getEncoder().encodeToString(new byte[32]);
    private static final String K2 = Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes());

    @Test
    void roundTripsAndHidesPlaintext() {
        SecretBox box = new SecretBox("k1", Map.of("k1", K1));
        byte[] sealed = box.seal("s3cr3t-pässword", "endpoint:a");
        assertThat(new String(sealed, java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain("s3cr3t");
        assertThat(box.open(sealed, "endpoint:a")).isEqualTo("s3cr3t-pässword");
    }

    @Test
    void refusesOtherContextAndTampering() {
        SecretBox box = new SecretBox("k1", Map.of("k1", K1));
        byte[] sealed = box.seal("pw", "endpoint:a");
        assertThatThrownBy(() -> box.open(sealed, "endpoint:b")).isInstanceOf(SecretBox.SecretException.class);
        sealed[sealed.length - 1] ^= 1;
        assertThatThrownBy(() -> box.open(sealed, "endpoint:a")).hasMessageContaining("authentication");
    }

    @Test
    void oldKeysStillOpenAfterRotation() {
        byte[] old = new SecretBox("k1", Map.of("k1", K1)).seal("pw", "c");
        SecretBox rotated = new SecretBox("k2", Map.of("k1", K1, "k2", K2));
        assertThat(rotated.open(old, "c")).isEqualTo("pw");
        SecretBox retired = new SecretBox("k2", Map.of("k2", K2));
        assertThatThrownBy(() -> retired.open(old, "c")).hasMessageContaining("'k1'");
    }

    @Test
    void rejectsShortKeys() {
        assertThatThrownBy(() -> new SecretBox("k", Map.of("k", Base64.getEncoder().encodeToString(new byte[16]))))
                .hasMessageContaining("32 bytes");
    }
}
