package io.loyaltylakehouse.stack;

import static org.assertj.core.api.Assertions.assertThat;

import io.loyaltylakehouse.common.config.Credentials;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalSecretsTest {
    @TempDir
    Path dataDir;

    @Test
    void theFirstStartMakesEverySecretOwnerOnly() throws Exception {
        final LocalSecrets secrets = new LocalSecrets(dataDir);

        secrets.ensure();

        final Credentials credentials = Credentials.load(dataDir, Map.of());
        for (final String user : LocalSecrets.TRINO_USERS) {
            assertThat(credentials.trinoPassword(user)).hasSizeGreaterThanOrEqualTo(24);
        }
        assertThat(credentials.secret("PG_PASSWORD_LOYALTY_CATALOG"))
                .isNotEqualTo(credentials.secret("PG_PASSWORD_POSTGRES"));
        assertThat(Files.readString(secrets.certificate())).startsWith("-----BEGIN CERTIFICATE-----");
        assertThat(Files.readString(secrets.serverKeyAndCertificate())).contains("PRIVATE KEY", "BEGIN CERTIFICATE");
        for (final Path file :
                new Path[] {secrets.credentialsFile(), secrets.certificate(), secrets.serverKeyAndCertificate()}) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                    .as(file.toString())
                    .isEqualTo("rw-------");
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir)))
                .isEqualTo("rwx------");
    }

    @Test
    void aSecondStartKeepsTheSecretsAndAddsOnlyMissingOnes() throws Exception {
        final LocalSecrets secrets = new LocalSecrets(dataDir);
        Files.writeString(secrets.credentialsFile(), "# older stack\nTRINO_PASSWORD_ANALYST=kept\n");

        secrets.ensure();
        final String first = Files.readString(secrets.credentialsFile());
        secrets.ensure();

        assertThat(Files.readString(secrets.credentialsFile()))
                .isEqualTo(first)
                .startsWith("# older stack\n")
                .contains("TRINO_PASSWORD_ANALYST=kept\n", "TRINO_PASSWORD_DBT=", "TRINO_INTERNAL_SHARED_SECRET=");
    }

    @Test
    void thePasswordFileHoldsBcryptHashesOfTheCurrentPasswords() {
        final LocalSecrets secrets = new LocalSecrets(dataDir);
        secrets.ensure();
        final Credentials credentials = Credentials.load(dataDir, Map.of("TRINO_PASSWORD_DBT", "from-the-environment"));

        final Map<String, String> hashes = new java.util.HashMap<>();
        secrets.trinoPasswordFile(credentials)
                .lines()
                .forEach(line ->
                        hashes.put(line.substring(0, line.indexOf(':')), line.substring(line.indexOf(':') + 1)));

        assertThat(hashes.keySet()).containsExactlyInAnyOrder("analyst", "dbt", "loyalty_admin");
        assertThat(hashes.get("dbt")).startsWith("$2y$10$");
        assertThat(OpenBSDBCrypt.checkPassword(hashes.get("dbt"), "from-the-environment".toCharArray()))
                .isTrue();
        assertThat(OpenBSDBCrypt.checkPassword(
                        hashes.get("analyst"),
                        credentials.trinoPassword("analyst").toCharArray()))
                .isTrue();
    }
}
