package io.loyaltylakehouse.edge.ops;

import io.loyaltylakehouse.common.config.Credentials;
import io.loyaltylakehouse.common.config.Settings;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * Who may ask the balance API. On loopback (the default) anyone on the machine; bound anywhere else a caller must
 * send {@code Authorization: Bearer <edge.api.token>}, and the process refuses to start without a token. A request
 * another instance forwards is answered locally only when it carries the instances' shared secret
 * ({@code EDGE_FORWARDING_SECRET}, in the local stack's credentials.env); without one, instances do not forward.
 */
public record ApiAccess(Optional<String> token, Optional<String> forwardingSecret) {
    public static final String FORWARDING_SECRET = "EDGE_FORWARDING_SECRET";

    public static ApiAccess from(final Settings settings) {
        final String host = settings.require("edge.http.host");
        final Optional<String> token =
                Optional.of(settings.get("edge.api.token", "")).filter(value -> !value.isEmpty());
        if (token.isEmpty() && !loopback(host)) {
            throw new IllegalStateException(
                    "edge-streams: edge.http.host=" + host + " is reachable from other machines: "
                            + "set a bearer token for the balance API in EDGE_API_TOKEN");
        }
        return new ApiAccess(token, Credentials.load(settings).find(FORWARDING_SECRET));
    }

    /** True when the request may read balances. */
    public boolean allows(final String authorization) {
        return token.isEmpty() || (authorization != null && same(authorization, "Bearer " + token.get()));
    }

    /** True when the request says it was forwarded and proves it with the shared secret. */
    public boolean forwardedByAnInstance(final String secret) {
        return forwardingSecret.isPresent() && secret != null && same(secret, forwardingSecret.get());
    }

    static boolean loopback(final String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (final UnknownHostException e) {
            return false;
        }
    }

    /** Constant-time comparison: the time of a refusal says nothing about the secret. */
    private static boolean same(final String given, final String expected) {
        return MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8));
    }
}
