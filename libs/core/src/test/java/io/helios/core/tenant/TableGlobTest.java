package io.helios.core.tenant;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

class TableGlobTest {

    @Test
    void pathologicalPatternFinishesWithTheRightAnswer() {
        // ten stars against 40 characters with no final match: the former regex did not return in a minute
        TableGlob glob = TableGlob.parse("**********b");
        String name = "a".repeat(40);
        boolean matched = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> glob.matches("s", name));
        assertThat(matched).isFalse();
        assertThat(glob.matches("s", name + "b")).isTrue();
    }

    @Test
    void worstCaseAtTheCapsFinishes() {
        TableGlob glob = TableGlob.parse("*a".repeat(8) + "?".repeat(8) + "b".repeat(104));
        String name = "a".repeat(63);
        assertThat(assertTimeoutPreemptively(Duration.ofSeconds(5), () -> glob.matches("s", name))).isFalse();
    }

    @Test
    void agreesWithARegexReferenceOnRandomInputs() {
        Random random = new Random(13);
        for (int i = 0; i < 20_000; i++) {
            String pattern = random(random, "ab*?", 1 + random.nextInt(8));
            String name = random(random, "ab", random.nextInt(10));
            assertThat(TableGlob.wildcardMatch(pattern, name))
                    .as("'%s' against '%s'", pattern, name)
                    .isEqualTo(reference(pattern).matcher(name).matches());
        }
    }

    @Test
    void qualifiedPatternsMatchSchemaDotTable() {
        assertThat(TableGlob.parse("app.ord?rs").matches("app", "orders")).isTrue();
        assertThat(TableGlob.parse("a*.orders").matches("app", "orders")).isTrue();
        assertThat(TableGlob.parse("a*.orders").matches("other", "orders")).isFalse();
        assertThat(TableGlob.parse("$x_1").matches("s", "$x_1")).isTrue();
        assertThat(TableGlob.parse("*").matches("s", "")).isTrue();
    }

    @Test
    void refusesPatternsOverTheCaps() {
        assertThatThrownBy(() -> TableGlob.parse("a".repeat(TableGlob.MAX_LENGTH + 1)))
                .hasMessageContaining("too long");
        assertThat(TableGlob.parse("a".repeat(TableGlob.MAX_LENGTH))).isNotNull();
        assertThatThrownBy(() -> TableGlob.parse("*a".repeat(TableGlob.MAX_WILDCARDS + 1)))
                .hasMessageContaining("wildcards");
        assertThat(TableGlob.parse("?".repeat(TableGlob.MAX_WILDCARDS))).isNotNull();
        List<String> many = Collections.nCopies(TableFilter.MAX_PATTERNS + 1, "t");
        assertThatThrownBy(() -> TableFilter.of(many, List.of())).hasMessageContaining("at most");
    }

    private static String random(Random random, String alphabet, int length) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < length; i++) {
            s.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return s.toString();
    }

    /** The former translation: correct, exponential on some inputs, fine on these short ones. */
    private static Pattern reference(String glob) {
        return Pattern.compile(glob.replace("?", ".").replace("*", ".*"));
    }
}
