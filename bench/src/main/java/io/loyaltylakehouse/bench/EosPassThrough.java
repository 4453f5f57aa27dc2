package io.loyaltylakehouse.bench;

import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;

/**
 * The second baseline of the edge-streams benchmark: a Kafka Streams app that forwards every record unchanged under
 * exactly_once_v2, with edge-streams' commit interval, producer linger and thread count, in its own JVM like
 * edge-streams. What it costs over raw clients is the cost of exactly-once; what edge-streams costs over it is the
 * cost of the rules. Arguments: bootstrap, application id, state dir, input, output, commit.interval.ms,
 * linger.ms, threads.
 */
public final class EosPassThrough {
    private EosPassThrough() {}

    public static void main(final String[] args) throws InterruptedException {
        final Properties config = new Properties();
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, args[0]);
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, args[1]);
        config.put(StreamsConfig.STATE_DIR_CONFIG, args[2]);
        config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        config.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, args[5]);
        config.put(StreamsConfig.producerPrefix("linger.ms"), args[6]);
        config.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, args[7]);
        final StreamsBuilder builder = new StreamsBuilder();
        builder.stream(args[3], Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()))
                .to(args[4], Produced.with(Serdes.ByteArray(), Serdes.ByteArray()));
        final CountDownLatch stopped = new CountDownLatch(1);
        final KafkaStreams streams = new KafkaStreams(builder.build(), config);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            streams.close();
            stopped.countDown();
        }));
        streams.start();
        stopped.await();
    }
}
