package io.helios.controlplane.walguard;

import io.helios.controlplane.maintenance.SourceSlots.Slot;
import io.helios.controlplane.replication.ReplicationState;
import io.helios.controlplane.walguard.WalPolicy.Action;
import io.helios.controlplane.walguard.WalPolicy.Level;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class WalPolicyTest {

    private final WalPolicy policy = new WalPolicy(100, 1000, true);

    @Test
    void pausedOrFailedSlotPastTheLimitIsDroppedButARunningOneOnlyAlerts() {
        Slot big = new Slot("helios_x", null, "extended", null, 1000L);
        assertThat(policy.judge(ReplicationState.PAUSED, big).action()).isEqualTo(Action.DROP_LIMIT);
        assertThat(policy.judge(ReplicationState.FAILED, big).action()).isEqualTo(Action.DROP_LIMIT);
        assertThat(policy.judge(ReplicationState.RUNNING, big)).extracting(WalPolicy.Verdict::level,
                WalPolicy.Verdict::action).containsExactly(Level.LIMIT, Action.NONE);
        assertThat(new WalPolicy(100, 1000, false).judge(ReplicationState.PAUSED, big).action()).isEqualTo(Action.NONE);
    }

    @Test
    void lostSlotIsDroppedWhateverItRetainsWhileUnreservedOrPastWarnOnlyWarns() {
        Slot lost = new Slot("helios_x", null, "lost", null, null);
        assertThat(policy.judge(ReplicationState.RUNNING, lost).action()).isEqualTo(Action.DROP_LOST);
        assertThat(policy.judge(ReplicationState.STOPPED, lost).action()).isEqualTo(Action.NONE);
        assertThat(policy.judge(ReplicationState.RUNNING, new Slot("helios_x", 7, "unreserved", 0L, 10L)).level())
                .isEqualTo(Level.WARN);
        assertThat(policy.judge(ReplicationState.PAUSED, new Slot("helios_x", null, "reserved", 5L, 100L)))
                .extracting(WalPolicy.Verdict::level, WalPolicy.Verdict::action).containsExactly(Level.WARN, Action.NONE);
        assertThat(policy.judge(ReplicationState.PAUSED, new Slot("helios_x", null, "reserved", 5L, 99L)).level())
                .isEqualTo(Level.NONE);
        assertThat(policy.judge(ReplicationState.PAUSED, null).level()).isEqualTo(Level.NONE);
    }
}
