package io.helios.postgres.error;

import io.helios.core.capture.CaptureException;
import io.helios.core.capture.TransactionTooLargeException;
import io.helios.postgres.error.RetryClassifier.Verdict;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.EOFException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

import static org.assertj.core.api.Assertions.assertThat;

class RetryClassifierTest {

    @ParameterizedTest
    @ValueSource(strings = {"08000", "08001", "08003", "08004", "08006", "57P01", "57P02", "57P03", "57P05",
            "40001", "40P01", "53300", "55006"})
    void retriesWhatANewConnectionMayCure(String state) {
        assertThat(RetryClassifier.retriable(new SQLException("x", state))).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"08P01", "42601", "42704", "28P01", "42501", "23505", "40002", "57014", "57P04",
            "53100", "53200", "53400", "XX000"})
    void failsWhatTheServerWouldSayAgain(String state) {
        assertThat(RetryClassifier.classify(new SQLException("x", state))).isEqualTo(Verdict.PERMANENT);
    }

    @Test
    void anIoErrorAnywhereInTheChainIsRetriable() {
        assertThat(RetryClassifier.retriable(new RuntimeException(new IOException("reset")))).isTrue();
        assertThat(RetryClassifier.retriable(new SocketTimeoutException("read timed out"))).isTrue();
        assertThat(RetryClassifier.retriable(new SQLException("copy failed", "42000", new EOFException()))).isTrue();
    }

    @Test
    void theFirstRetriableStateInTheChainDecides() {
        SQLException lost = new SQLTransientConnectionException("pool", "08001");
        assertThat(RetryClassifier.retriable(new IllegalStateException("wrapped", lost))).isTrue();
        assertThat(RetryClassifier.retriable(new SQLException("outer", "XX000", lost))).isTrue();
    }

    @Test
    void anEnginesVerdictStands() {
        assertThat(RetryClassifier.retriable(new CaptureException("stream", null, true))).isTrue();
        assertThat(RetryClassifier.retriable(new CaptureException("slot missing", new IOException("x"), false))).isFalse();
        assertThat(RetryClassifier.retriable(new TransactionTooLargeException(7, 1024))).isFalse();
        assertThat(RetryClassifier.retriable(new RuntimeException(new CaptureException("x", null, true)))).isTrue();
    }

    @Test
    void aChainWithoutStateOrIoErrorIsUnknownAndNotRetried() {
        assertThat(RetryClassifier.classify(new IllegalStateException("diverged"))).isEqualTo(Verdict.UNKNOWN);
        assertThat(RetryClassifier.classify(new SQLException("no state"))).isEqualTo(Verdict.UNKNOWN);
        assertThat(RetryClassifier.retriable(new IllegalStateException("diverged"))).isFalse();
        assertThat(RetryClassifier.retriableState(null)).isFalse();
    }
}
