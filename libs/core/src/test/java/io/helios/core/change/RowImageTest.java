package io.helios.core.change;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RowImageTest {

    /** "xx" + "é✓" + "--" + "" : values at offsets 2 (5 bytes) and 9 (empty), then NULL and unchanged. */
    private static RowImage received() {
        byte[] message = "xxé✓--".getBytes(StandardCharsets.UTF_8);
        return RowImage.ofUtf8(message, new int[]{2, 9, 0, 0}, new int[]{5, 0, RowImage.NULL_LENGTH, RowImage.UNCHANGED_LENGTH});
    }

    @Test
    void byteFormReadsLikeTheStringForm() {
        RowImage bytes = received();
        RowImage strings = RowImage.of("é✓", "", null, RowImage.UNCHANGED);
        assertThat(bytes.size()).isEqualTo(4);
        assertThat(bytes.get(0)).isEqualTo("é✓");
        assertThat(bytes.get(1)).isEmpty();
        assertThat(bytes.get(2)).isNull();
        assertThat(bytes.isNull(2)).isTrue();
        assertThat(bytes.isNull(1)).isFalse();
        assertThat(bytes.isUnchanged(3)).isTrue();
        assertThat(bytes.hasUnchanged()).isTrue();
        assertThat(bytes).isEqualTo(strings).hasSameHashCodeAs(strings);
        assertThat(bytes.toString()).isEqualTo(strings.toString()).contains("<unchanged>");
        assertThatThrownBy(() -> bytes.get(3)).isInstanceOf(IllegalStateException.class).hasMessageContaining("unchanged");
    }

    @Test
    void stringFormHasNoBytes() {
        assertThat(RowImage.of("a").utf8Bytes()).isNull();
        assertThat(received().utf8Bytes()).isNotNull();
    }

    @Test
    void mismatchedArraysAreRefused() {
        assertThatThrownBy(() -> RowImage.ofUtf8(new byte[0], new int[1], new int[2]))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
