package io.minimq.broker.kafka;

import io.minimq.broker.kafka.ProducerStateTopic.State;
import io.minimq.broker.storage.AppendResult;
import io.minimq.broker.storage.NewRecord;
import io.minimq.broker.storage.OffsetOutOfRangeException;
import io.minimq.broker.storage.ProducerSeq;
import io.minimq.broker.storage.ReadResult;
import io.minimq.broker.storage.SequenceConflictException;
import io.minimq.broker.storage.Storage;
import io.minimq.broker.storage.StorageException;
import io.minimq.broker.storage.StorageUnavailableException;
import io.minimq.broker.storage.StoredRecord;
import io.minimq.broker.storage.TopicNotFoundException;
import io.minimq.broker.storage.TopicSettings;
import io.minimq.broker.storage.TopicStats;
import io.minimq.common.TopicNames;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ReplicaInfo;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Storage} on an Apache Kafka cluster: the broker holds no data of its own, so any number
 * of broker replicas can serve the same topics. See the package javadoc for the mapping and
 * for how idempotent produce works across replicas.
 *
 * <p>Guarantees and their limits (also in the README):
 * <ul>
 * <li>Idempotent requests (producer id + seq) are written in one Kafka transaction with the
 * producer's new state: all or nothing, never twice, through any replica.</li>
 * <li>Plain requests go through one idempotent producer per replica, sent under a per-topic
 * lock so that their records are consecutive in the producer's batch: they are contiguous and
 * all-or-nothing when they fit one batch ({@value KafkaClients#BATCH_BYTES} bytes).</li>
 * <li>Offsets are Kafka's: transaction markers take offsets too, so fetches may skip
 * offsets; {@code nextOffset} always says where to continue.</li>
 * </ul>
 *
 * <p>Thread-safe.
 */
public final class KafkaStorage implements Storage {

    private static final Logger log = LoggerFactory.getLogger(KafkaStorage.class);
    private static final int MAX_MESSAGE_BYTES = KafkaClients.MAX_REQUEST_BYTES;

    private final KafkaStorageConfig config;
    private final KafkaClients clients;
    private final Admin admin;
    private final KafkaProducer<byte[], byte[]> plainProducer;
    private final ProducerStateTopic producerStates;
    private final ConsumerPool consumers;
    private final EndOffsetWatcher watcher;
    private final Map<String, Object> topicLocks = new ConcurrentHashMap<>();
    private final Set<String> knownTopics = ConcurrentHashMap.newKeySet();
    private final Map<String, TransactionalProducer> txProducers;
    private final ScheduledExecutorService health;
    private volatile boolean clusterReachable;
    private volatile boolean stateTopicReady;

    /** One MiniMQ producer id's transactional Kafka producer; its monitor serialises that producer's requests. */
    private static final class TransactionalProducer {
        final String producerId;
        KafkaProducer<byte[], byte[]> producer;
        boolean initialized;

        TransactionalProducer(String producerId) {
            this.producerId = producerId;
        }
    }

    public KafkaStorage(KafkaStorageConfig config) {
        this.config = config;
        this.clients = new KafkaClients(config);
        this.admin = clients.admin();
        this.plainProducer = clients.plainProducer();
        this.producerStates = new ProducerStateTopic(clients, tps -> offsets(tps, OffsetSpec.latest(),
                IsolationLevel.READ_UNCOMMITTED));
        this.consumers = new ConsumerPool(clients, config.consumerPoolSize(), config.requestTimeout());
        this.watcher = new EndOffsetWatcher(tps -> offsets(tps, OffsetSpec.latest(), IsolationLevel.READ_COMMITTED),
                config.waitPollInterval());
        this.txProducers = new LinkedHashMap<>(16, 0.75f, true);
        this.health = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "minimq-kafka-health");
            t.setDaemon(true);
            return t;
        });
        health.scheduleWithFixedDelay(this::checkCluster, 0, 2, TimeUnit.SECONDS);
        log.info("Kafka storage: bootstrap servers {}, replication factor {}, request timeout {}",
                config.bootstrapServers(), config.replicationFactor(), config.requestTimeout());
    }

    // ---- readiness ----------------------------------------------------------------------

    private void checkCluster() {
        try {
            Collection<Node> nodes = admin.describeCluster().nodes().get(clients.timeoutMs(), TimeUnit.MILLISECONDS);
            if (!stateTopicReady) {
                createInternalTopic();
                producerStates.start();
                stateTopicReady = true;
                log.info("Kafka storage ready: {} Kafka broker(s)", nodes.size());
            }
            if (!clusterReachable) {
                log.info("Kafka cluster reachable ({} broker(s))", nodes.size());
            }
            clusterReachable = true;
        } catch (Exception e) {
            if (clusterReachable) {
                log.warn("Kafka cluster unreachable: {}", rootMessage(e));
            }
            clusterReachable = false;
        }
    }

    private void createInternalTopic() throws Exception {
        NewTopic topic = new NewTopic(ProducerStateTopic.NAME, 1, config.replicationFactor())
                .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
        try {
            admin.createTopics(List.of(topic)).all().get(clients.timeoutMs(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
    }

    @Override
    public boolean isReady() {
        return clusterReachable && stateTopicReady;
    }

    private void requireReady() {
        if (!isReady()) {
            throw new StorageUnavailableException("the Kafka cluster is not reachable", null);
        }
    }

    // ---- append -------------------------------------------------------------------------

    @Override
    public AppendResult append(String topic, List<NewRecord> records, ProducerSeq producer, boolean createIfMissing) {
        TopicNames.validate(topic);
        if (records.isEmpty()) {
            throw new IllegalArgumentException("a batch needs at least one record");
        }
        requireReady();
        ensureTopic(topic, createIfMissing);
        AppendResult result = producer == null ? appendPlain(topic, records) : appendIdempotent(topic, records, producer);
        if (!result.duplicate()) {
            watcher.appended(topic, result.lastOffset() + 1);
        }
        return result;
    }

    private AppendResult appendPlain(String topic, List<NewRecord> records) {
        List<Future<RecordMetadata>> sent = send(plainProducer, topic, records);
        return new AppendResult(await(topic, sent), records.size(), false);
    }

    private AppendResult appendIdempotent(String topic, List<NewRecord> records, ProducerSeq seq) {
        TransactionalProducer tx = transactionalProducer(seq.producerId());
        synchronized (tx) {
            for (int attempt = 1; ; attempt++) {
                try {
                    return appendInTransaction(tx, topic, records, seq);
                } catch (ProducerFencedException | InvalidProducerEpochException e) {
                    // Another replica took over this producer id: its state is now authoritative.
                    log.debug("Producer {} fenced on attempt {}: {}", seq.producerId(), attempt, e.toString());
                    reset(tx);
                    if (attempt == 2) {
                        throw new StorageUnavailableException("producer '" + seq.producerId()
                                + "' is being used through another broker replica at the same time", e);
                    }
                } catch (KafkaException e) {
                    reset(tx);
                    throw unavailable("appending to topic '" + topic + "'", e);
                }
            }
        }
    }

    private AppendResult appendInTransaction(TransactionalProducer tx, String topic, List<NewRecord> records,
            ProducerSeq seq) {
        if (tx.producer == null) {
            tx.producer = clients.transactionalProducer("minimq-producer-" + seq.producerId());
        }
        if (!tx.initialized) {
            tx.producer.initTransactions();
            tx.initialized = true;
        }
        try {
            producerStates.catchUp(config.requestTimeout());
        } catch (TimeoutException e) {
            throw new StorageUnavailableException("producer state could not be read in time", e);
        }
        State last = producerStates.get(topic, seq.producerId());
        if (last != null && seq.seq() == last.seq()) {
            return new AppendResult(last.baseOffset(), last.count(), true);
        }
        if (last != null && seq.seq() < last.seq()) {
            throw new SequenceConflictException(seq.producerId(), topic, seq.seq(), last.seq());
        }
        tx.producer.beginTransaction();
        try {
            long base = await(topic, send(tx.producer, topic, records));
            State state = new State(seq.seq(), base, records.size());
            tx.producer.send(ProducerStateTopic.record(topic, seq.producerId(), state));
            tx.producer.commitTransaction();
            producerStates.put(topic, seq.producerId(), state);
            awaitVisible(topic, base + records.size());
            return new AppendResult(base, records.size(), false);
        } catch (StorageException e) {
            abortQuietly(tx);
            throw e;
        }
    }

    /**
     * Waits until committed readers see offsets below {@code end}: commitTransaction returns once
     * the coordinator has decided, while the commit markers reach the partition a moment later.
     * Without this wait a client could produce and then not find its records in a fetch.
     */
    private void awaitVisible(String topic, long end) {
        TopicPartition tp = new TopicPartition(topic, 0);
        long deadline = System.nanoTime() + config.requestTimeout().toNanos();
        while (System.nanoTime() < deadline) {
            long stable = offsets(List.of(tp), OffsetSpec.latest(), IsolationLevel.READ_COMMITTED).getOrDefault(tp, 0L);
            if (stable >= end) {
                return;
            }
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        log.warn("Committed records of topic '{}' below offset {} not visible after {}", topic, end,
                config.requestTimeout());
    }

    private TransactionalProducer transactionalProducer(String producerId) {
        synchronized (txProducers) {
            TransactionalProducer tx = txProducers.computeIfAbsent(producerId, TransactionalProducer::new);
            if (txProducers.size() > config.maxIdempotentProducers()) {
                var eldest = txProducers.entrySet().iterator().next();
                txProducers.remove(eldest.getKey());
                closeLater(eldest.getValue());
            }
            return tx;
        }
    }

    private void closeLater(TransactionalProducer evicted) {
        health.execute(() -> {
            synchronized (evicted) {
                reset(evicted);
            }
        });
    }

    private static void reset(TransactionalProducer tx) {
        if (tx.producer != null) {
            try {
                tx.producer.close(Duration.ZERO);
            } catch (RuntimeException ignored) {
                // closing a fenced or broken producer may fail; it is discarded either way
            }
        }
        tx.producer = null;
        tx.initialized = false;
    }

    private static void abortQuietly(TransactionalProducer tx) {
        try {
            tx.producer.abortTransaction();
        } catch (RuntimeException e) {
            reset(tx);
        }
    }

    /** Sends the batch under the topic's lock, so that its records sit consecutively in the producer's batch. */
    private List<Future<RecordMetadata>> send(KafkaProducer<byte[], byte[]> producer, String topic,
            List<NewRecord> records) {
        List<Future<RecordMetadata>> futures = new ArrayList<>(records.size());
        synchronized (topicLocks.computeIfAbsent(topic, t -> new Object())) {
            for (NewRecord record : records) {
                futures.add(producer.send(toKafka(topic, record)));
            }
        }
        return futures;
    }

    /** Waits for every record of a batch; returns the base offset. */
    private long await(String topic, List<Future<RecordMetadata>> futures) {
        long deadline = System.nanoTime() + config.requestTimeout().toNanos();
        long base = -1;
        long previous = -1;
        for (Future<RecordMetadata> future : futures) {
            RecordMetadata metadata;
            try {
                metadata = future.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (ExecutionException e) {
                throw unavailable("appending to topic '" + topic + "'", e.getCause());
            } catch (TimeoutException e) {
                throw new StorageUnavailableException("Kafka did not acknowledge the append in time", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StorageUnavailableException("interrupted while appending", e);
            }
            if (base < 0) {
                base = metadata.offset();
            } else if (metadata.offset() != previous + 1) {
                log.warn("Batch on topic '{}' is not contiguous: offset {} follows {}", topic, metadata.offset(),
                        previous);
            }
            previous = metadata.offset();
        }
        return base;
    }

    private static ProducerRecord<byte[], byte[]> toKafka(String topic, NewRecord record) {
        RecordHeaders headers = new RecordHeaders();
        record.headers().forEach((k, v) -> headers.add(k, v.getBytes(StandardCharsets.UTF_8)));
        byte[] key = record.key() == null ? null : record.key().getBytes(StandardCharsets.UTF_8);
        return new ProducerRecord<>(topic, 0, null, key, record.value(), headers);
    }

    // ---- topics -------------------------------------------------------------------------

    private void ensureTopic(String topic, boolean createIfMissing) {
        if (knownTopics.contains(topic)) {
            return;
        }
        if (exists(topic)) {
            knownTopics.add(topic);
            return;
        }
        if (!createIfMissing) {
            throw new TopicNotFoundException(topic);
        }
        create(topic, TopicSettings.DEFAULTS_ONLY);
    }

    private boolean exists(String topic) {
        return get(admin.listTopics(new ListTopicsOptions().listInternal(false)).names(), "listing topics")
                .contains(topic);
    }

    private void create(String topic, TopicSettings settings) {
        Map<String, String> configs = new HashMap<>();
        configs.put(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "LogAppendTime");
        configs.put(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(MAX_MESSAGE_BYTES));
        putIfSet(configs, TopicConfig.RETENTION_MS_CONFIG, orDefault(settings.retentionMs(), config.defaultRetentionMs()));
        putIfSet(configs, TopicConfig.RETENTION_BYTES_CONFIG,
                orDefault(settings.retentionBytes(), config.defaultRetentionBytes()));
        putIfSet(configs, TopicConfig.SEGMENT_BYTES_CONFIG,
                orDefault(settings.segmentBytes(), config.defaultSegmentBytes()));
        NewTopic newTopic = new NewTopic(topic, 1, config.replicationFactor()).configs(configs);
        try {
            admin.createTopics(List.of(newTopic)).all().get(clients.timeoutMs(), TimeUnit.MILLISECONDS);
            awaitListed(topic, true);
            log.info("Created Kafka topic '{}'", topic);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw unavailable("creating topic '" + topic + "'", e.getCause());
            }
        } catch (TimeoutException | InterruptedException e) {
            throw unavailable("creating topic '" + topic + "'", e);
        }
        knownTopics.add(topic);
    }

    /**
     * Topic creation and deletion reach every Kafka broker's metadata a moment after the Admin
     * call returns; wait for it so that a create is followed by a readable topic, and a delete by a 404.
     */
    private void awaitListed(String topic, boolean listed) {
        long deadline = System.nanoTime() + config.requestTimeout().toNanos();
        while (exists(topic) != listed) {
            if (System.nanoTime() > deadline) {
                throw new StorageUnavailableException("Kafka did not " + (listed ? "create" : "delete")
                        + " topic '" + topic + "' in time", null);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public boolean createOrUpdateTopic(String topic, TopicSettings settings) {
        TopicNames.validate(topic);
        requireReady();
        if (!exists(topic)) {
            create(topic, settings);
            return true;
        }
        List<AlterConfigOp> ops = new ArrayList<>();
        addSet(ops, TopicConfig.RETENTION_MS_CONFIG, settings.retentionMs());
        addSet(ops, TopicConfig.RETENTION_BYTES_CONFIG, settings.retentionBytes());
        addSet(ops, TopicConfig.SEGMENT_BYTES_CONFIG, settings.segmentBytes());
        if (!ops.isEmpty()) {
            get(admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.TOPIC, topic), ops)).all(),
                    "changing topic '" + topic + "'");
        }
        return false;
    }

    @Override
    public boolean deleteTopic(String topic) {
        TopicNames.validate(topic);
        requireReady();
        try {
            admin.deleteTopics(List.of(topic)).all().get(clients.timeoutMs(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return false;
            }
            throw unavailable("deleting topic '" + topic + "'", e.getCause());
        } catch (TimeoutException | InterruptedException e) {
            throw unavailable("deleting topic '" + topic + "'", e);
        }
        knownTopics.remove(topic);
        awaitListed(topic, false);
        producerStates.forgetTopic(topic).forEach(plainProducer::send);
        plainProducer.flush();
        return true;
    }

    @Override
    public Optional<TopicStats> topic(String topic) {
        TopicNames.validate(topic);
        requireReady();
        if (!exists(topic)) {
            return Optional.empty();
        }
        return Optional.ofNullable(stats(List.of(topic)).get(topic));
    }

    @Override
    public List<TopicStats> topics() {
        requireReady();
        List<String> names = get(admin.listTopics(new ListTopicsOptions().listInternal(false)).names(), "listing topics")
                .stream().filter(TopicNames::isValid).sorted().toList();
        return names.isEmpty() ? List.of() : List.copyOf(stats(names).values());
    }

    private Map<String, TopicStats> stats(List<String> topics) {
        List<TopicPartition> partitions = topics.stream().map(t -> new TopicPartition(t, 0)).toList();
        Map<TopicPartition, Long> starts = offsets(partitions, OffsetSpec.earliest(), IsolationLevel.READ_COMMITTED);
        Map<TopicPartition, Long> ends = offsets(partitions, OffsetSpec.latest(), IsolationLevel.READ_COMMITTED);
        Map<String, Long> sizes = sizes(topics);
        Map<String, TopicSettings> settings = settings(topics);
        Map<String, TopicStats> stats = new TreeMap<>();
        for (TopicPartition tp : partitions) {
            // Kafka's Admin API does not report segment counts: -1 means "unknown".
            stats.put(tp.topic(), new TopicStats(tp.topic(), starts.getOrDefault(tp, 0L), ends.getOrDefault(tp, 0L), sizes.getOrDefault(tp.topic(), 0L), -1, settings.get(tp.topic())));
        }
        return stats;
    }

    /** Offsets of partitions from the Admin API (thread-safe, and quiet about partitions nobody consumes). */
    private Map<TopicPartition, Long> offsets(Collection<TopicPartition> partitions, OffsetSpec spec,
            IsolationLevel isolation) {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        partitions.forEach(tp -> request.put(tp, spec));
        Map<TopicPartition, Long> offsets = new HashMap<>();
        get(admin.listOffsets(request, new ListOffsetsOptions(isolation)).all(), "reading offsets")
                .forEach((tp, info) -> offsets.put(tp, info.offset()));
        return offsets;
    }

    private Map<String, Long> sizes(List<String> topics) {
        Collection<Node> nodes = get(admin.describeCluster().nodes(), "describing the cluster");
        Map<Integer, Map<String, LogDirDescription>> dirs = get(
                admin.describeLogDirs(nodes.stream().map(Node::id).toList()).allDescriptions(), "describing log dirs");
        Map<String, Long> sizes = new HashMap<>();
        Set<String> wanted = Set.copyOf(topics);
        for (Map<String, LogDirDescription> byDir : dirs.values()) {
            for (LogDirDescription dir : byDir.values()) {
                for (Map.Entry<TopicPartition, ReplicaInfo> replica : dir.replicaInfos().entrySet()) {
                    String topic = replica.getKey().topic();
                    if (wanted.contains(topic)) {
                        // The size of one replica (the leader's copy as seen by the first broker listing it).
                        sizes.putIfAbsent(topic, replica.getValue().size());
                    }
                }
            }
        }
        return sizes;
    }

    private Map<String, TopicSettings> settings(List<String> topics) {
        List<ConfigResource> resources = topics.stream()
                .map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t)).toList();
        Map<ConfigResource, Config> configs = get(admin.describeConfigs(resources).all(), "reading topic configs");
        Map<String, TopicSettings> settings = new HashMap<>();
        configs.forEach((resource, cfg) -> settings.put(resource.name(), new TopicSettings(
                longValue(cfg, TopicConfig.RETENTION_MS_CONFIG), longValue(cfg, TopicConfig.RETENTION_BYTES_CONFIG),
                longValue(cfg, TopicConfig.SEGMENT_BYTES_CONFIG))));
        return settings;
    }

    // ---- read ---------------------------------------------------------------------------

    @Override
    public ReadResult read(String topic, long offset, int maxRecords, int maxBytes) {
        TopicNames.validate(topic);
        requireReady();
        ensureTopic(topic, false);
        TopicPartition tp = new TopicPartition(topic, 0);
        long start = offsets(List.of(tp), OffsetSpec.earliest(), IsolationLevel.READ_COMMITTED).getOrDefault(tp, 0L);
        long end = offsets(List.of(tp), OffsetSpec.latest(), IsolationLevel.READ_COMMITTED).getOrDefault(tp, 0L);
        if (offset < start || offset > end) {
            throw new OffsetOutOfRangeException(tp.topic(), offset, start, end);
        }
        return consumers.withConsumer(consumer -> read(consumer, tp, offset, maxRecords, maxBytes, start, end));
    }

    private ReadResult read(KafkaConsumer<byte[], byte[]> consumer, TopicPartition tp, long offset, int maxRecords,
            int maxBytes, long start, long end) {
        try {
            List<StoredRecord> records = new ArrayList<>();
            long next = offset;
            if (offset < end) {
                consumer.assign(List.of(tp));
                consumer.seek(tp, offset);
                long deadline = System.nanoTime() + config.requestTimeout().toNanos();
                long bytes = 0;
                while (records.isEmpty() && next < end && System.nanoTime() < deadline) {
                    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200)).records(tp)) {
                        if (records.size() >= maxRecords || (!records.isEmpty() && bytes + r.value().length > maxBytes)) {
                            break;
                        }
                        records.add(toStored(r));
                        bytes += r.value() == null ? 0 : r.value().length;
                        next = r.offset() + 1;
                    }
                    if (records.isEmpty()) {
                        // Only transaction markers or aborted data so far: continue after them.
                        next = Math.max(next, consumer.position(tp, config.requestTimeout()));
                    }
                }
            }
            return new ReadResult(records, next, start, end);
        } catch (KafkaException e) {
            throw unavailable("reading topic '" + tp.topic() + "'", e);
        }
    }

    private static StoredRecord toStored(ConsumerRecord<byte[], byte[]> r) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (Header h : r.headers()) {
            headers.put(h.key(), h.value() == null ? "" : new String(h.value(), StandardCharsets.UTF_8));
        }
        String key = r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8);
        byte[] value = r.value() == null ? "null".getBytes(StandardCharsets.US_ASCII) : r.value();
        return new StoredRecord(r.offset(), r.timestamp(), key, headers, value);
    }

    @Override
    public long offsetForTime(String topic, long timestampMs) {
        TopicNames.validate(topic);
        requireReady();
        ensureTopic(topic, false);
        TopicPartition tp = new TopicPartition(topic, 0);
        long found = offsets(List.of(tp), OffsetSpec.forTimestamp(timestampMs), IsolationLevel.READ_COMMITTED)
                .getOrDefault(tp, -1L);
        return found >= 0 ? found
                : offsets(List.of(tp), OffsetSpec.latest(), IsolationLevel.READ_COMMITTED).getOrDefault(tp, 0L);
    }

    @Override
    public CompletableFuture<Boolean> awaitData(String topic, long offset, Duration timeout) {
        TopicNames.validate(topic);
        return watcher.await(topic, offset, timeout);
    }

    // ---- consumer groups ----------------------------------------------------------------

    @Override
    public void commitOffset(String group, String topic, long offset) {
        TopicNames.validate(group);
        TopicNames.validate(topic);
        requireReady();
        ensureTopic(topic, false);
        get(admin.alterConsumerGroupOffsets(group, Map.of(new TopicPartition(topic, 0), new OffsetAndMetadata(offset)))
                .all(), "committing an offset of group '" + group + "'");
    }

    @Override
    public OptionalLong committedOffset(String group, String topic) {
        Long offset = committedOffsets(group).get(topic);
        return offset == null ? OptionalLong.empty() : OptionalLong.of(offset);
    }

    @Override
    public Map<String, Long> committedOffsets(String group) {
        TopicNames.validate(group);
        requireReady();
        Map<TopicPartition, OffsetAndMetadata> offsets;
        try {
            offsets = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
                    .get(clients.timeoutMs(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GroupIdNotFoundException) {
                return Map.of();
            }
            throw unavailable("reading offsets of group '" + group + "'", e.getCause());
        } catch (TimeoutException | InterruptedException e) {
            throw unavailable("reading offsets of group '" + group + "'", e);
        }
        Map<String, Long> byTopic = new TreeMap<>();
        offsets.forEach((tp, om) -> {
            if (om != null && tp.partition() == 0 && TopicNames.isValid(tp.topic())) {
                byTopic.put(tp.topic(), om.offset());
            }
        });
        return byTopic;
    }

    @Override
    public List<String> groups() {
        requireReady();
        Collection<GroupListing> listings = get(admin.listGroups().all(), "listing the consumer groups");
        return listings.stream().map(GroupListing::groupId).filter(TopicNames::isValid).sorted().toList();
    }

    // ---- helpers ------------------------------------------------------------------------

    private <T> T get(org.apache.kafka.common.KafkaFuture<T> future, String what) {
        try {
            return future.get(clients.timeoutMs(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw unavailable(what, e.getCause());
        } catch (TimeoutException | InterruptedException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw unavailable(what, e);
        }
    }

    private static StorageException unavailable(String what, Throwable cause) {
        if (cause instanceof StorageException se) {
            return se;
        }
        if (cause instanceof UnknownTopicOrPartitionException) {
            return new StorageUnavailableException(what + " failed: the topic is unknown to Kafka", cause);
        }
        return new StorageUnavailableException(what + " failed: Kafka did not answer (" + rootMessage(cause) + ")",
                cause);
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName();
    }

    private static Long orDefault(Long value, Long fallback) {
        return value != null ? value : fallback;
    }

    private static void putIfSet(Map<String, String> configs, String key, Long value) {
        if (value != null) {
            configs.put(key, value.toString());
        }
    }

    private static void addSet(List<AlterConfigOp> ops, String key, Long value) {
        if (value != null) {
            ops.add(new AlterConfigOp(new ConfigEntry(key, value.toString()), AlterConfigOp.OpType.SET));
        }
    }

    private static Long longValue(Config cfg, String key) {
        ConfigEntry entry = cfg.get(key);
        return entry == null || entry.value() == null ? null : Long.parseLong(entry.value());
    }

    @Override
    public void close() {
        health.shutdownNow();
        synchronized (txProducers) {
            txProducers.values().forEach(tx -> {
                synchronized (tx) {
                    reset(tx);
                }
            });
            txProducers.clear();
        }
        watcher.close();
        consumers.close();
        producerStates.close();
        plainProducer.close(Duration.ofSeconds(5));
        admin.close(Duration.ofSeconds(5));
        log.info("Kafka storage closed");
    }
}
