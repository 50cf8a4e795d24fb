package org.imgfn.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvironmentTest {
    final Environment env = new Environment(Map.of("BLANK", "  ", "N", " 12 ", "FLAG", "yes", "WORD", "many"));

    @Test
    void takesTheDefaultForAnUnsetOrBlankVariableAndTrimsValues() {
        assertThat(env.string("UNSET", "d")).isEqualTo("d");
        assertThat(env.string("BLANK", "d")).isEqualTo("d");
        assertThat(env.integer("N", 0, 1)).isEqualTo(12);
        assertThat(env.bool("FLAG", false)).isTrue();
        assertThat(env.millis("N", 5)).isEqualTo(Duration.ofMillis(12));
    }

    @Test
    void namesTheVariableAndWhatItTakes() {
        assertThatThrownBy(() -> env.integer("WORD", 0, 0)).hasMessage("WORD must be a whole number: many");
        assertThatThrownBy(() -> env.bool("WORD", false)).hasMessage("WORD must be true or false: many");
        assertThatThrownBy(() -> env.count("N", 0, 13)).hasMessage("N must be at least 13: 12");
    }
}
