package io.loyaltylakehouse.stack;

import io.loyaltylakehouse.common.config.Credentials;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The local secrets of CONTRACT section 2, made once by the first {@code make up} (like Elasticsearch's first
 * start): random Trino passwords and Trino's internal shared secret in {@code credentials.env}, a self-signed
 * certificate for Trino's HTTPS port in {@code tls/}. Every file is readable by its owner only; nothing secret
 * goes on a command line or into a log.
 */
final class LocalSecrets {
    /** The users of CONTRACT section 8. */
    static final List<String> TRINO_USERS = List.of("analyst", "dbt", "loyalty_admin");
    /** Trino's coordinator-to-worker secret: not a login, only Trino reads it. */
    static final String TRINO_SHARED_SECRET = "TRINO_INTERNAL_SHARED_SECRET";
    /** PostgreSQL roles whose passwords are generated (the legacy application's {@code loyalty} is CONTRACT 2's). */
    static final List<String> PG_ROLES = List.of("postgres", "loyalty_catalog", "loyalty_cdc");
    /** Cost 10 (~70 ms a check): Trino caches successful logins, so this is paid once per user and hour. */
    private static final int BCRYPT_COST = 10;

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path dataDir;

    LocalSecrets(final Path dataDir) {
        this.dataDir = dataDir;
    }

    Path credentialsFile() {
        return dataDir.resolve(Credentials.FILE_NAME);
    }

    Path certificate() {
        return dataDir.resolve("tls/trino.pem");
    }

    /** Trino's private key and certificate in one PEM file, as {@code http-server.https.keystore.path} reads it. */
    Path serverKeyAndCertificate() {
        return dataDir.resolve("tls/trino-server.pem");
    }

    /** Creates what is missing; never replaces an existing secret (rotation: delete the file, run make up). */
    void ensure() {
        try {
            ownerOnlyDirectory(dataDir);
            final Map<String, String> wanted = new LinkedHashMap<>();
            TRINO_USERS.forEach(user -> wanted.put(Credentials.trinoPasswordName(user), randomSecret(18)));
            wanted.put(TRINO_SHARED_SECRET, randomSecret(48));
            PG_ROLES.forEach(role -> wanted.put(pgPasswordName(role), randomSecret(18)));
            // edge-streams instances prove a forwarded balance request to each other with it
            wanted.put("EDGE_FORWARDING_SECRET", randomSecret(32));
            // A data directory from an older version keeps its secrets and gains only the missing ones.
            final String existing = Files.exists(credentialsFile())
                    ? Files.readString(credentialsFile())
                    : "# Local secrets, made by the first `make up`. An environment variable of the same name overrides "
                            + "a line.\n";
            final StringBuilder text = new StringBuilder(existing);
            wanted.forEach((name, value) -> {
                if (!existing.contains("\n" + name + "=")) {
                    text.append(name).append('=').append(value).append('\n');
                }
            });
            if (!Files.exists(credentialsFile()) || !text.toString().equals(existing)) {
                writeOwnerOnly(credentialsFile(), text.toString());
            }
            if (!Files.exists(certificate()) || !Files.exists(serverKeyAndCertificate())) {
                writeCertificate();
            }
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot create the local secrets under " + dataDir, e);
        }
    }

    /** {@code loyalty_catalog} -> {@code PG_PASSWORD_LOYALTY_CATALOG}. */
    static String pgPasswordName(final String role) {
        return Credentials.pgPasswordName(role);
    }

    /** Trino's password file: one {@code user:bcrypt} line per user, from the current credentials. */
    String trinoPasswordFile(final Credentials credentials) {
        final StringBuilder out = new StringBuilder();
        for (final String user : TRINO_USERS) {
            final byte[] salt = new byte[16];
            RANDOM.nextBytes(salt);
            out.append(user)
                    .append(':')
                    .append(OpenBSDBCrypt.generate(
                            "2y", credentials.trinoPassword(user).toCharArray(), salt, BCRYPT_COST))
                    .append('\n');
        }
        return out.toString();
    }

    private void writeCertificate() throws IOException {
        ownerOnlyDirectory(certificate().getParent());
        try {
            final KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048, RANDOM);
            final KeyPair keys = generator.generateKeyPair();
            final Instant now = Instant.now();
            final X500Name subject = new X500Name("CN=localhost, O=Loyalty Lakehouse local stack");
            final JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                    subject,
                    new BigInteger(64, RANDOM),
                    Date.from(now.minus(Duration.ofDays(1))),
                    Date.from(now.plus(Duration.ofDays(3650))),
                    subject,
                    keys.getPublic());
            // Clients connect to 127.0.0.1 or localhost: both must match for hostname verification.
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                new GeneralName(GeneralName.iPAddress, "127.0.0.1"), new GeneralName(GeneralName.dNSName, "localhost")
            }));
            final X509Certificate certificate = new JcaX509CertificateConverter()
                    .getCertificate(
                            builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate())));
            writeOwnerOnly(serverKeyAndCertificate(), pem(keys.getPrivate()) + pem(certificate));
            writeOwnerOnly(certificate(), pem(certificate));
        } catch (final IOException e) {
            throw e;
        } catch (final Exception e) {
            throw new IllegalStateException("cannot create Trino's TLS certificate", e);
        }
    }

    private static String pem(final Object object) throws IOException {
        final StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(object);
        }
        return out.toString();
    }

    private static String randomSecret(final int bytes) {
        final byte[] random = new byte[bytes];
        RANDOM.nextBytes(random);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }

    static void ownerOnlyDirectory(final Path directory) throws IOException {
        Files.createDirectories(directory);
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
    }

    /** Written to a temporary file that is 0600 before it holds anything, then moved into place. */
    static void writeOwnerOnly(final Path file, final String content) throws IOException {
        Files.createDirectories(file.getParent());
        final Path temporary = Files.createTempFile(
                file.getParent(),
                file.getFileName().toString(),
                ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(temporary, content, StandardCharsets.UTF_8);
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
