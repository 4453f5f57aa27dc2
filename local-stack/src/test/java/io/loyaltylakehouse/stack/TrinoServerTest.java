package io.loyaltylakehouse.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrinoServerTest {
    @TempDir
    Path dir;

    @Test
    void placeholdersAreFilledFromSettings() {
        assertThat(TrinoServer.fill(
                        "url=jdbc:postgresql://${pg.host}:${pg.port}/x",
                        Map.of("pg.host", "h", "pg.port", "1"),
                        Path.of("t")))
                .isEqualTo("url=jdbc:postgresql://h:1/x");
    }

    @Test
    void anUnknownPlaceholderNamesTheFile() {
        assertThatThrownBy(() -> TrinoServer.fill("a=${nope}", Map.of(), Path.of("etc/config.properties")))
                .hasMessage("etc/config.properties: no setting for placeholder ${nope}");
    }

    @Test
    void theCommittedTemplatesRenderWithTheDefaultSettings() throws Exception {
        final Map<String, String> values =
                new java.util.HashMap<>(io.loyaltylakehouse.common.config.Settings.defaults("local-stack")
                        .asMap());
        values.putAll(Map.of(
                "trino.port",
                "8443",
                "trino.etc",
                "/etc/t",
                "trino.data",
                "/d",
                "iceberg.warehouse",
                "file:///w",
                "trino.tls.keystore",
                "/tls/trino-server.pem",
                "trino.shared.secret",
                "s3cret",
                "pg.catalog.password",
                "pw"));

        TrinoServer.render(Path.of("../trino/etc"), dir, values);

        assertThat(Files.readString(dir.resolve("catalog/iceberg.properties")))
                .contains(
                        "iceberg.jdbc-catalog.catalog-name=loyalty",
                        "default-warehouse-dir=file:///w",
                        "local.location=/");
        assertThat(Files.readString(dir.resolve("config.properties")))
                .contains(
                        "http-server.https.enabled=true",
                        "http-server.https.port=8443",
                        "http-server.https.keystore.path=/tls/trino-server.pem",
                        "http-server.authentication.type=PASSWORD",
                        "internal-communication.shared-secret=s3cret",
                        "http-server.http.port=8080");
        assertThat(Files.readString(dir.resolve("password-authenticator.properties")))
                .contains("password-authenticator.name=file", "file.password-file=/etc/t/password.db");
        assertThat(Files.readString(dir.resolve("catalog/iceberg.properties")))
                .contains("connection-user=loyalty_catalog", "connection-password=pw");
        assertThat(dir.resolve("rules.json")).exists();
    }

    @Test
    void javaVersionIsReadFromTheReleaseFile() throws Exception {
        Files.createDirectories(dir.resolve("bin"));
        Files.writeString(dir.resolve("bin/java"), "");
        Files.writeString(dir.resolve("release"), "IMPLEMENTOR=\"x\"\nJAVA_VERSION=\"25.0.1\"\n");

        assertThat(TrinoServer.majorVersion(dir)).isEqualTo(25);
        assertThat(TrinoServer.majorVersion(dir.resolve("missing"))).isZero();
    }
}
