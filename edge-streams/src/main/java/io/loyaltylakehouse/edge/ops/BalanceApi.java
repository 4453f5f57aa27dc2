package io.loyaltylakehouse.edge.ops;

import static java.util.Objects.requireNonNull;

import com.sun.net.httpserver.HttpExchange;
import io.loyaltylakehouse.common.json.Json;
import io.loyaltylakehouse.common.model.BalanceUpdate;
import io.loyaltylakehouse.common.ops.OpsServer.Response;
import io.loyaltylakehouse.edge.model.Account;
import io.loyaltylakehouse.edge.processor.PointsAccrualProcessor;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * {@code GET /users/{id}/balance}: answered from the accounts store of the instance that owns the user's
 * partition (interactive queries). Another instance's user is fetched from it over HTTP, once, and only from a
 * member of the consumer group: a request forwarded with the instances' secret ({@link ApiAccess}) is answered
 * locally, never forwarded again. A caller without the bearer token (when one is set) gets 401.
 */
public final class BalanceApi {
    private static final Pattern PATH = Pattern.compile("^/users/([^/]+)/balance/?$");
    private static final String FORWARDED = "forwarded=1";
    private static final String SECRET_HEADER = "X-Loyalty-Forwarding-Secret";

    private final KafkaStreams streams;
    private final HostInfo self;
    private final ApiAccess access;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    public BalanceApi(final KafkaStreams streams, final HostInfo self, final ApiAccess access) {
        this.streams = requireNonNull(streams, "streams is null");
        this.self = requireNonNull(self, "self is null");
        this.access = requireNonNull(access, "access is null");
    }

    public Response handle(final HttpExchange exchange) throws Exception {
        final boolean forwarded = FORWARDED.equals(exchange.getRequestURI().getRawQuery())
                && access.forwardedByAnInstance(exchange.getRequestHeaders().getFirst(SECRET_HEADER));
        if (!forwarded && !access.allows(exchange.getRequestHeaders().getFirst("Authorization"))) {
            return error(401, "the balance API needs Authorization: Bearer <EDGE_API_TOKEN>");
        }
        final Matcher path = PATH.matcher(exchange.getRequestURI().getRawPath());
        if (!path.matches()) {
            return error(404, "use GET /users/{user_id}/balance");
        }
        final String userId = URLDecoder.decode(path.group(1), StandardCharsets.UTF_8);
        final KeyQueryMetadata owner = streams.queryMetadataForKey(
                PointsAccrualProcessor.ACCOUNTS_STORE, userId, Serdes.String().serializer());
        if (owner == null || KeyQueryMetadata.NOT_AVAILABLE.equals(owner)) {
            return error(503, "the user's partition is being reassigned, try again");
        }
        if (owner.activeHost().equals(self) || forwarded) {
            return local(userId, owner.partition());
        }
        if (access.forwardingSecret().isEmpty() || !isGroupMember(owner.activeHost())) {
            return error(
                    503,
                    "user " + userId + " is served by another instance and this one does not forward "
                            + "(no EDGE_FORWARDING_SECRET, or the owner is not a member of the consumer group)");
        }
        return forward(owner.activeHost(), userId);
    }

    private Response local(final String userId, final int partition) {
        final Account account;
        try {
            final ReadOnlyKeyValueStore<String, Account> accounts = streams.store(StoreQueryParameters.fromNameAndType(
                            PointsAccrualProcessor.ACCOUNTS_STORE, QueryableStoreTypes.<String, Account>keyValueStore())
                    .withPartition(partition));
            account = accounts.get(userId);
        } catch (final InvalidStateStoreException e) {
            return error(503, "the user's partition is not queryable here right now: " + e.getMessage());
        }
        if (account == null) {
            return error(404, "no points activity for user " + userId);
        }
        return Response.json(200, Json.toJson(new BalanceUpdate(userId, account.balance(), account.pausedUntil())));
    }

    /** Forwarding goes only to an {@code application.server} that the group's current assignment names. */
    private boolean isGroupMember(final HostInfo host) {
        return streams.metadataForAllStreamsClients().stream()
                .anyMatch(client -> client.hostInfo().equals(host));
    }

    private Response forward(final HostInfo owner, final String userId) throws Exception {
        final URI uri = URI.create("http://" + owner.host() + ":" + owner.port() + "/users/"
                + URLEncoder.encode(userId, StandardCharsets.UTF_8).replace("+", "%20") + "/balance?" + FORWARDED);
        final HttpResponse<String> answer = http.send(
                HttpRequest.newBuilder(uri)
                        .timeout(Duration.ofSeconds(5))
                        .header(SECRET_HEADER, access.forwardingSecret().orElseThrow())
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        return Response.json(answer.statusCode(), answer.body());
    }

    private static Response error(final int status, final String message) {
        return Response.json(status, Json.toJson(java.util.Map.of("error", message)));
    }
}
