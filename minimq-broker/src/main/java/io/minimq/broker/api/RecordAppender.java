package io.minimq.broker.api;

import io.minimq.broker.BrokerProperties;
import io.minimq.broker.storage.AppendResult;
import io.minimq.broker.storage.NewRecord;
import io.minimq.broker.storage.ProducerSeq;
import io.minimq.broker.storage.Storage;
import io.minimq.broker.system.BrokerMetrics;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * Appends records for both produce APIs (v1 and the prototype's {@code /produce}) and counts
 * them in the metrics. Thread-safe.
 */
@Component
public class RecordAppender {

    private final Storage storage;
    private final BrokerMetrics metrics;
    private final boolean autoCreateTopics;

    public RecordAppender(Storage storage, BrokerMetrics metrics, BrokerProperties properties) {
        this.storage = storage;
        this.metrics = metrics;
        this.autoCreateTopics = properties.autoCreateTopics();
    }

    public AppendResult append(String topic, List<NewRecord> records, ProducerSeq producer) {
        long start = System.nanoTime();
        AppendResult result = storage.append(topic, records, producer, autoCreateTopics);
        metrics.appendTook(System.nanoTime() - start);
        if (!result.duplicate()) {
            long bytes = 0;
            for (NewRecord record : records) {
                bytes += record.value().length;
            }
            metrics.appended(topic, records.size(), bytes, result.lastOffset() + 1);
        }
        return result;
    }
}
