package org.imgfn.openfaas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServerConfigTest {
    @Test
    void hasTheDefaultsReadmeLists() {
        ServerConfig config = ServerConfig.fromEnv(Map.of());

        assertThat(config.port()).isEqualTo(8082);
        assertThat(config.bindAddress()).isEqualTo("127.0.0.1");
        assertThat(config.maxInflight()).isEqualTo(64 * Runtime.getRuntime().availableProcessors());
        assertThat(config.shutdownGrace()).isEqualTo(Duration.ofSeconds(25));
        assertThat(config.headerTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.bodyTimeout()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void namesTheVariableOfABadValue() {
        assertThatThrownBy(() -> ServerConfig.fromEnv(Map.of("SERVER_MAX_INFLIGHT", "0")))
                .hasMessageContaining("SERVER_MAX_INFLIGHT must be at least 1");
        assertThatThrownBy(() -> ServerConfig.fromEnv(Map.of("SERVER_PORT", "http")))
                .hasMessageContaining("SERVER_PORT must be a whole number");
        assertThatThrownBy(() -> ServerConfig.fromEnv(Map.of("SERVER_BODY_TIMEOUT_SECONDS", "0")))
                .hasMessageContaining("SERVER_BODY_TIMEOUT_SECONDS");
    }
}
