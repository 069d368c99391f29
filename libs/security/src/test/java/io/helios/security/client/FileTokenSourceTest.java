package io.helios.security.client;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FileTokenSourceTest {

    @TempDir
    Path dir;

    @Test
    void readsTheFileAgainWhenARotationReplacesIt() throws Exception {
        Path file = dir.resolve("worker-0");
        Files.writeString(file, "first-token\n");
        BearerTokenSource tokens = BearerTokenSource.file(file);
        assertThat(tokens.token()).isEqualTo("first-token");
        // what the kubelet does on a Secret update: a new file swapped in atomically
        Path next = dir.resolve("next");
        Files.writeString(next, "second-token");
        Files.setLastModifiedTime(next, FileTime.from(Instant.now().plusSeconds(5)));
        Files.move(next, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        assertThat(tokens.token()).isEqualTo("second-token");
        assertThat(tokens.toString()).doesNotContain("second-token");
    }

    @Test
    void aRejectedTokenIsReadAgain() throws Exception {
        Path file = dir.resolve("t");
        Files.writeString(file, "one");
        FileTime stamp = Files.getLastModifiedTime(file);
        BearerTokenSource tokens = BearerTokenSource.file(file);
        assertThat(tokens.token()).isEqualTo("one");
        Files.writeString(file, "two");
        Files.setLastModifiedTime(file, stamp);
        tokens.rejected("one");
        assertThat(tokens.token()).isEqualTo("two");
    }

    @Test
    void aMissingOrEmptyFileIsAPermanentFailureNamingTheFile() throws Exception {
        Path missing = dir.resolve("worker-7");
        assertThatThrownBy(() -> BearerTokenSource.file(missing).token())
                .isInstanceOfSatisfying(CredentialException.class, e -> assertThat(e.permanent()).isTrue())
                .hasMessageContaining(missing.toString()).hasMessageContaining("does not exist");
        Path empty = Files.writeString(dir.resolve("empty"), "  \n");
        assertThatThrownBy(() -> BearerTokenSource.file(empty).token()).hasMessageContaining("is empty");
    }

    @Test
    void aStaticTokenIsNeverShown() {
        BearerTokenSource fixed = BearerTokenSource.fixed(" s3cr3t ");
        assertThat(fixed.token()).isEqualTo("s3cr3t");
        assertThat(fixed.toString() + fixed.describe()).doesNotContain("s3cr3t");
        assertThatThrownBy(() -> BearerTokenSource.fixed("")).isInstanceOf(CredentialException.class);
    }
}
