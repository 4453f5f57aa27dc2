package io.loyaltylakehouse.common.trino;

import io.loyaltylakehouse.common.config.Credentials;
import io.loyaltylakehouse.common.config.Settings;
import java.net.URI;
import java.nio.file.Path;
import java.util.Properties;

/**
 * How a program logs in to Trino as one of the users of CONTRACT section 8: the coordinator's HTTPS URL
 * ({@code trino.url}), the user's password ({@link Credentials}) and the certificate to trust
 * ({@code trino.tls.certificate}, default {@code <data.dir>/tls/trino.pem}).
 */
public record TrinoLogin(URI url, String user, String password, Path trustedCertificate) {

    public static TrinoLogin of(final Settings settings, final String user) {
        return new TrinoLogin(
                URI.create(settings.require("trino.url")),
                user,
                Credentials.load(settings).trinoPassword(user),
                certificate(settings));
    }

    /** The PEM certificate Trino serves; clients trust exactly this one. */
    public static Path certificate(final Settings settings) {
        final String configured = settings.get("trino.tls.certificate", "");
        return configured.isEmpty() ? Path.of(settings.require("data.dir"), "tls", "trino.pem") : Path.of(configured);
    }

    public boolean tls() {
        return "https".equalsIgnoreCase(url.getScheme());
    }

    /** {@code jdbc:trino://host:port/<catalog>}. */
    public String jdbcUrl(final String catalog) {
        return "jdbc:trino://" + url.getHost() + ":" + url.getPort() + "/" + catalog;
    }

    /** Properties for the Trino JDBC driver: user, password and, over HTTPS, the trusted PEM. */
    public Properties jdbcProperties() {
        final Properties properties = new Properties();
        properties.setProperty("user", user);
        properties.setProperty("password", password);
        if (tls()) {
            properties.setProperty("SSL", "true");
            properties.setProperty("SSLTrustStorePath", trustedCertificate.toString());
        }
        return properties;
    }
}
