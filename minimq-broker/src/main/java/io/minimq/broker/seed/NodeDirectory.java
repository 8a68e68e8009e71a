package io.minimq.broker.seed;

import io.minimq.broker.storage.ReadResult;
import io.minimq.broker.storage.Storage;
import io.minimq.broker.storage.StoredRecord;
import io.minimq.broker.storage.TopicStats;
import io.minimq.common.Topics;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.springframework.stereotype.Component;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.json.JsonFactory;

/**
 * The distinct node names registered on the {@code nodes} topic, in first-seen order, for the
 * prototype's {@code GET /nodes}. A node is named by its record's key, or by the record's value
 * when that is a JSON string and there is no key. Reads only what was appended since the last
 * call; starts over when the topic was deleted or retention removed what it had read.
 * Thread-safe (calls are serialised).
 */
@Component
class NodeDirectory {

    private static final int BATCH = 1000;
    private static final int BATCH_BYTES = 4 * 1024 * 1024;

    private final Storage storage;
    private final JsonFactory json = JsonFactory.builder().build();
    private final Set<String> names = new LinkedHashSet<>();
    private long nextOffset;

    NodeDirectory(Storage storage) {
        this.storage = storage;
    }

    synchronized List<String> nodes() {
        Optional<TopicStats> topic = storage.topic(Topics.NODES);
        if (topic.isEmpty()) {
            names.clear();
            nextOffset = 0;
            return List.of();
        }
        if (nextOffset < topic.get().startOffset() || nextOffset > topic.get().endOffset()) {
            names.clear();
            nextOffset = topic.get().startOffset();
        }
        while (nextOffset < topic.get().endOffset()) {
            ReadResult batch = storage.read(Topics.NODES, nextOffset, BATCH, BATCH_BYTES);
            if (batch.records().isEmpty()) {
                break;
            }
            for (StoredRecord record : batch.records()) {
                String name = nameOf(record);
                if (name != null) {
                    names.add(name);
                }
            }
            nextOffset = batch.nextOffset();
        }
        return new ArrayList<>(names);
    }

    private String nameOf(StoredRecord record) {
        if (record.key() != null && !record.key().isEmpty()) {
            return record.key();
        }
        try (JsonParser parser = json.createParser(ObjectReadContext.empty(), record.value())) {
            return parser.nextToken() == JsonToken.VALUE_STRING ? parser.getString() : null;
        }
    }
}
