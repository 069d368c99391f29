package io.helios.core.change;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LsnTest {

    @Test
    void parsesAndPrintsServerForm() {
        Lsn lsn = Lsn.parse("16/B374D848");
        assertThat(lsn.value()).isEqualTo((0x16L << 32) | 0xB374D848L);
        assertThat(lsn.toString()).isEqualTo("16/B374D848");
    }

    @Test
    void ordersUnsigned() {
        assertThat(Lsn.parse("FFFFFFFF/0").isAfter(Lsn.parse("1/0"))).isTrue();
        assertThat(Lsn.parse("0/10").isAtOrBefore(Lsn.parse("0/10"))).isTrue();
    }

    @Test
    void rejectsMalformed() {
        assertThatThrownBy(() -> Lsn.parse("16B374D848")).hasMessageContaining("not an LSN");
        assertThatThrownBy(() -> Lsn.parse("1/ZZ")).hasMessageContaining("not an LSN");
    }
}
