package io.loyaltylakehouse.edge.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loyaltylakehouse.common.config.Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApiAccessTest {
    @TempDir
    Path dataDir;

    @Test
    void onLoopbackAnyLocalCallerMayReadBalances() {
        final ApiAccess access = ApiAccess.from(settings(Map.of()));

        assertThat(access.allows(null)).isTrue();
        assertThat(access.forwardingSecret()).isEmpty();
        assertThat(access.forwardedByAnInstance("anything")).isFalse();
    }

    @Test
    void boundToAllInterfacesItRefusesToStartWithoutAToken() {
        assertThatThrownBy(() -> ApiAccess.from(settings(Map.of("edge.http.host", "0.0.0.0"))))
                .hasMessageContaining("EDGE_API_TOKEN");
    }

    @Test
    void withATokenOnlyTheBearerOfItMayRead() {
        final ApiAccess access = ApiAccess.from(settings(Map.of("edge.http.host", "0.0.0.0", "edge.api.token", "t0k")));

        assertThat(access.allows("Bearer t0k")).isTrue();
        assertThat(access.allows("Bearer t0")).isFalse();
        assertThat(access.allows(null)).isFalse();
    }

    @Test
    void aForwardedRequestIsTrustedOnlyWithTheInstancesSecret() throws Exception {
        Files.writeString(dataDir.resolve("credentials.env"), "EDGE_FORWARDING_SECRET=shared\n");

        final ApiAccess access = ApiAccess.from(settings(Map.of()));

        assertThat(access.forwardingSecret()).isEqualTo(Optional.of("shared"));
        assertThat(access.forwardedByAnInstance("shared")).isTrue();
        assertThat(access.forwardedByAnInstance("guess")).isFalse();
        assertThat(access.forwardedByAnInstance(null)).isFalse();
    }

    private Settings settings(final Map<String, String> overrides) {
        return Settings.defaults("edge-streams")
                .with(Map.of("data.dir", dataDir.toString()))
                .with(overrides);
    }
}
