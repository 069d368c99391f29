package io.helios.codec;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KeyringTest {

    @Test
    void newestKeyIsTheLastAdded() {
        Keyring k = Keyring.of("a", CodecFixtures.key(1)).rotate("b", CodecFixtures.key(2));
        assertThat(k.newestKeyId()).isEqualTo("b");
    }

    @Test
    void refusesShortKeysReusedIdsAndRetiringTheNewest() {
        assertThatThrownBy(() -> Keyring.of("a", new byte[16])).hasMessageContaining("32 bytes");
        Keyring k = Keyring.of("a", CodecFixtures.key(1)).rotate("b", CodecFixtures.key(2)).retire("a");
        assertThatThrownBy(() -> k.rotate("a", CodecFixtures.key(3))).hasMessageContaining("never reused");
        assertThatThrownBy(() -> k.retire("b")).hasMessageContaining("newest");
        assertThatThrownBy(() -> Keyring.ofBase64("x", "not base64!")).hasMessageContaining("base64");
    }

    @Test
    void neverPrintsKeyMaterial() {
        byte[] key = CodecFixtures.key(7);
        assertThat(Keyring.of("a", key).toString()).doesNotContain(java.util.Base64.getEncoder().encodeToString(key))
                .contains("newest=a");
    }
}
