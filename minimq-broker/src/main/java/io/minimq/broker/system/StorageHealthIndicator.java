package io.minimq.broker.system;

import io.minimq.broker.BrokerProperties;
import io.minimq.broker.BrokerProperties.StorageType;
import io.minimq.broker.storage.Storage;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Readiness of the storage (in the {@code readiness} health group): DOWN until the back end has
 * finished recovery, and, for the file log, while the data directory is not writable (a full
 * or read-only volume), so that Kubernetes stops sending traffic that would fail.
 */
@Component("storageHealthIndicator")
class StorageHealthIndicator implements HealthIndicator {

    private final Storage storage;
    private final Path dataDir;
    private final String notReady;

    StorageHealthIndicator(Storage storage, BrokerProperties properties) {
        this.storage = storage;
        this.dataDir = properties.storage() == StorageType.FILE ? properties.dataDir() : null;
        this.notReady = properties.storage() == StorageType.FILE ? "recovering" : "kafka unreachable";
    }

    @Override
    public Health health() {
        if (!storage.isReady()) {
            return Health.down().withDetail("reason", notReady).build();
        }
        if (dataDir != null && !(Files.isDirectory(dataDir) && Files.isWritable(dataDir))) {
            return Health.down().withDetail("reason", "data directory not writable").build();
        }
        return Health.up().build();
    }
}
