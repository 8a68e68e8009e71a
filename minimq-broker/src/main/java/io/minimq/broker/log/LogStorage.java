package io.minimq.broker.log;

import io.minimq.broker.storage.AppendResult;
import io.minimq.broker.storage.NewRecord;
import io.minimq.broker.storage.ProducerSeq;
import io.minimq.broker.storage.ReadResult;
import io.minimq.broker.storage.Storage;
import io.minimq.broker.storage.StorageException;
import io.minimq.broker.storage.StorageFullException;
import io.minimq.broker.storage.TopicNotFoundException;
import io.minimq.broker.storage.TopicSettings;
import io.minimq.broker.storage.TopicStats;
import io.minimq.common.InvalidNameException;
import io.minimq.common.TopicNames;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The embedded storage back end: one segmented, CRC-checked {@link Log} per topic under
 * {@link LogConfig#dataDir()}, plus the committed group offsets.
 *
 * <p>The constructor recovers every topic before it returns (see {@link LogLoader}). Two
 * background threads run afterwards: {@code minimq-log-flusher} forces data and writes
 * recovery checkpoints every {@link LogConfig#flushInterval()} and applies retention every
 * {@link LogConfig#retentionCheckInterval()}; {@code minimq-log-timer} times out long polls.
 *
 * <p>Thread-safe.
 */
public final class LogStorage implements Storage {

    private static final Logger log = LoggerFactory.getLogger(LogStorage.class);
    private static final String DELETED_MARK = "~deleted-";

    private final LogConfig config;
    private final LogListener listener;
    private final Clock clock;
    private final Path dataDir;
    private final Map<String, Log> logs = new ConcurrentHashMap<>();
    private final Object topicsLock = new Object();
    private final GroupOffsetStore groups;
    private final ScheduledThreadPoolExecutor timer;
    private final ScheduledExecutorService background;
    private volatile boolean open;

    public LogStorage(LogConfig config) {
        this(config, LogListener.NONE);
    }

    public LogStorage(LogConfig config, LogListener listener) {
        this(config, listener, Clock.systemUTC());
    }

    LogStorage(LogConfig config, LogListener listener, Clock clock) {
        this.config = config;
        this.listener = listener;
        this.clock = clock;
        long start = System.nanoTime();
        try {
            this.dataDir = Files.createDirectories(config.dataDir()).toRealPath();
            this.timer = new ScheduledThreadPoolExecutor(1, daemon("minimq-log-timer"));
            this.timer.setRemoveOnCancelPolicy(true);
            RecoveryResult total = loadTopics();
            this.groups = new GroupOffsetStore(dataDir, config.flushPolicy() == FlushPolicy.ALWAYS);
            this.background = new ScheduledThreadPoolExecutor(1, daemon("minimq-log-flusher"));
            long flushNanos = config.flushInterval().toNanos();
            background.scheduleWithFixedDelay(this::flushAll, flushNanos, flushNanos, TimeUnit.NANOSECONDS);
            long retentionNanos = config.retentionCheckInterval().toNanos();
            background.scheduleWithFixedDelay(this::applyRetention, retentionNanos, retentionNanos, TimeUnit.NANOSECONDS);
            this.open = true;
            log.info("Log storage ready in {}: {} topic(s), {} segment(s), recovery scanned {} bytes and dropped {} bytes "
                            + "in {} ms (flush={}, segment-bytes={})", dataDir, logs.size(), total.segments(),
                    total.bytesScanned(), total.bytesTruncated(), (System.nanoTime() - start) / 1_000_000,
                    config.flushPolicy().name().toLowerCase(), config.segmentBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the log storage in " + config.dataDir(), e);
        }
    }

    private RecoveryResult loadTopics() throws IOException {
        long scanned = 0;
        long truncated = 0;
        int dropped = 0;
        int segments = 0;
        List<Path> dirs;
        try (Stream<Path> list = Files.list(dataDir)) {
            dirs = list.filter(Files::isDirectory).sorted().toList();
        }
        for (Path dir : dirs) {
            String name = dir.getFileName().toString();
            if (name.contains(DELETED_MARK)) {
                deleteRecursively(dir);
                continue;
            }
            if (name.equals(GroupOffsetStore.DIR)) {
                continue;
            }
            if (!isValidInternal(name)) {
                log.warn("Ignoring {}: not a topic directory", dir);
                continue;
            }
            LogLoader.Loaded loaded = LogLoader.load(name, dir, config);
            Log topicLog = loaded.toLog(config, listener, clock, timer, TopicConfigFile.read(dir));
            logs.put(name, topicLog);
            topicLog.checkpoint();
            RecoveryResult r = loaded.result();
            listener.onRecovery(name, r);
            scanned += r.bytesScanned();
            truncated += r.bytesTruncated();
            dropped += r.recordsDropped();
            segments += r.segments();
        }
        return new RecoveryResult(scanned, truncated, dropped, segments);
    }

    private static boolean isValidInternal(String name) {
        try {
            TopicNames.validateInternal(name);
            return true;
        } catch (InvalidNameException e) {
            return false;
        }
    }

    // ---------------------------------------------------------------- Storage

    @Override
    public AppendResult append(String topic, List<NewRecord> records, ProducerSeq producer, boolean createIfMissing) {
        checkOpen();
        Log topicLog = createIfMissing ? getOrCreate(topic, TopicSettings.DEFAULTS_ONLY) : require(topic);
        try {
            return topicLog.append(records, producer);
        } catch (TopicNotFoundException e) {
            if (!createIfMissing) {
                throw e;
            }
            return getOrCreate(topic, TopicSettings.DEFAULTS_ONLY).append(records, producer); // deleted meanwhile
        }
    }

    @Override
    public ReadResult read(String topic, long offset, int maxRecords, int maxBytes) {
        checkOpen();
        if (maxRecords < 1 || maxBytes < 0) {
            throw new IllegalArgumentException("maxRecords must be positive and maxBytes not negative, were "
                    + maxRecords + " and " + maxBytes);
        }
        return require(topic).read(offset, maxRecords, maxBytes);
    }

    @Override
    public long offsetForTime(String topic, long timestampMs) {
        checkOpen();
        return require(topic).offsetForTime(timestampMs);
    }

    @Override
    public CompletableFuture<Boolean> awaitData(String topic, long offset, Duration timeout) {
        checkOpen();
        return require(topic).awaitData(offset, timeout);
    }

    @Override
    public Optional<TopicStats> topic(String topic) {
        checkOpen();
        Log topicLog = logs.get(checkName(topic));
        return topicLog == null ? Optional.empty() : Optional.of(topicLog.stats());
    }

    @Override
    public List<TopicStats> topics() {
        checkOpen();
        return logs.values().stream()
                .filter(l -> !TopicNames.isInternal(l.topic()))
                .map(Log::stats)
                .sorted(Comparator.comparing(TopicStats::name))
                .toList();
    }

    @Override
    public boolean createOrUpdateTopic(String topic, TopicSettings settings) {
        checkOpen();
        TopicSettings update = settings == null ? TopicSettings.DEFAULTS_ONLY : settings;
        TopicConfigFile.validate(update);
        synchronized (topicsLock) {
            Log existing = logs.get(checkName(topic));
            if (existing == null) {
                getOrCreate(topic, update);
                return true;
            }
            TopicSettings merged = TopicConfigFile.merge(existing.overrides(), update);
            try {
                TopicConfigFile.write(existing.dir(), merged);
            } catch (IOException e) {
                throw new StorageFullException("cannot store the settings of topic '" + topic + "'", e);
            }
            existing.setOverrides(merged);
            log.info("Topic '{}': settings changed to {}", topic, existing.settings());
            return false;
        }
    }

    @Override
    public boolean deleteTopic(String topic) {
        checkOpen();
        checkName(topic);
        synchronized (topicsLock) {
            Log topicLog = logs.remove(topic);
            if (topicLog == null) {
                return false;
            }
            topicLog.closeForDelete();
            groups.deleteTopic(topic);
            try {
                Path doomed = topicLog.dir().resolveSibling(topic + DELETED_MARK + System.nanoTime());
                Files.move(topicLog.dir(), doomed);
                deleteRecursively(doomed);
            } catch (IOException e) {
                log.warn("Topic '{}' deleted, but its files could not all be removed: {}", topic, e.toString());
            }
            log.info("Topic '{}' deleted", topic);
            return true;
        }
    }

    @Override
    public void commitOffset(String group, String topic, long offset) {
        checkOpen();
        groups.commit(checkName(group), checkName(topic), offset);
    }

    @Override
    public OptionalLong committedOffset(String group, String topic) {
        checkOpen();
        return groups.committed(checkName(group), checkName(topic));
    }

    @Override
    public Map<String, Long> committedOffsets(String group) {
        checkOpen();
        return groups.committed(checkName(group));
    }

    @Override
    public List<String> groups() {
        checkOpen();
        return groups.groups();
    }

    /** Recovery is done and the data directory is writable. */
    @Override
    public boolean isReady() {
        return open && Files.isWritable(dataDir);
    }

    @Override
    public void close() {
        if (!open) {
            return;
        }
        open = false;
        background.shutdown();
        try {
            background.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        timer.shutdownNow();
        logs.values().forEach(Log::close);
        try {
            groups.close();
        } catch (IOException e) {
            log.warn("Closing the committed offsets failed: {}", e.toString());
        }
        log.info("Log storage closed cleanly: {} topic(s) checkpointed", logs.size());
    }

    // ---------------------------------------------------------------- background

    /** Forces and checkpoints every topic, and the group offsets (flusher thread). */
    void flushAll() {
        for (Log topicLog : logs.values()) {
            try {
                topicLog.checkpoint();
            } catch (IOException | RuntimeException e) {
                if (logs.get(topicLog.topic()) == topicLog) {
                    log.warn("Topic '{}': flush failed: {}", topicLog.topic(), e.toString());
                }
            }
        }
        try {
            groups.flush();
        } catch (IOException e) {
            log.warn("Flushing the committed offsets failed: {}", e.toString());
        }
    }

    /** Applies retention to every topic (flusher thread). */
    void applyRetention() {
        for (Log topicLog : logs.values()) {
            try {
                topicLog.applyRetention();
            } catch (RuntimeException e) {
                log.warn("Topic '{}': retention failed: {}", topicLog.topic(), e.toString());
            }
        }
    }

    // ---------------------------------------------------------------- helpers

    private Log require(String topic) {
        Log topicLog = logs.get(checkName(topic));
        if (topicLog == null) {
            throw new TopicNotFoundException(topic);
        }
        return topicLog;
    }

    private Log getOrCreate(String topic, TopicSettings overrides) {
        Log existing = logs.get(checkName(topic));
        if (existing != null) {
            return existing;
        }
        synchronized (topicsLock) {
            existing = logs.get(topic);
            if (existing != null) {
                return existing;
            }
            Path dir = dataDir.resolve(topic);
            try {
                Files.createDirectories(dir);
                if (!overrides.equals(TopicSettings.DEFAULTS_ONLY)) {
                    TopicConfigFile.write(dir, overrides);
                }
                Log created = LogLoader.load(topic, dir, config).toLog(config, listener, clock, timer, overrides);
                logs.put(topic, created);
                log.info("Topic '{}' created with {}", topic, created.settings());
                return created;
            } catch (IOException e) {
                log.warn("Cannot create topic '{}' in {}: {}", topic, dir, e.toString());
                throw new StorageFullException("cannot create topic '" + topic + "': disk full or not writable", e);
            }
        }
    }

    /** Refuses names that break the naming rule or could leave the data directory. */
    private String checkName(String name) {
        TopicNames.validateInternal(name);
        if (name.equals(GroupOffsetStore.DIR)) {
            throw new InvalidNameException("name '" + name + "' is reserved");
        }
        Path resolved = dataDir.resolve(name).normalize();
        if (!resolved.getParent().equals(dataDir)) {
            throw new InvalidNameException("name '" + name + "' is not a plain directory name");
        }
        return name;
    }

    private void checkOpen() {
        if (!open) {
            throw new StorageException("the log storage is closed");
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    private static void deleteRecursively(Path dir) throws IOException {
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
