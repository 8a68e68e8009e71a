package io.minimq.broker.system;

import io.minimq.broker.BrokerProperties;
import io.minimq.broker.BrokerProperties.FlushPolicy;
import io.minimq.broker.storage.Storage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Says in one INFO line how this broker runs (data dir, flush policy, back end, security,
 * rate limit), and warns when it runs open, with no token configured.
 */
@Component
class StartupReport {

    private static final Logger log = LoggerFactory.getLogger("io.minimq.broker");

    private final BrokerProperties properties;
    private final Storage storage;

    StartupReport(BrokerProperties properties, Storage storage) {
        this.properties = properties;
        this.storage = storage;
    }

    @EventListener(ApplicationReadyEvent.class)
    void report() {
        BrokerProperties p = properties;
        String flush = p.flush() == FlushPolicy.ALWAYS ? "always (fsync before 201)"
                : "interval " + p.flushInterval().toMillis() + " ms";
        String security = p.security().open() ? "OPEN (no token)"
                : p.security().tokens().size() + " token(s)" + (p.security().protectMetrics() ? ", metrics protected" : "");
        String rateLimit = p.rateLimit().enabled() ? p.rateLimit().perClient() + " records/s per client" : "off";
        String storageText = p.storage() == BrokerProperties.StorageType.KAFKA
                ? "kafka bootstrap-servers=" + p.kafka().bootstrapServers()
                : "file data-dir=" + p.dataDir().toAbsolutePath().normalize() + " flush=" + flush;
        log.info("MiniMQ broker ready: storage={} security={} rate-limit={} "
                        + "max-request-bytes={} max-record-bytes={} auto-create-topics={} ready={}",
                storageText, security, rateLimit,
                p.maxRequestBytes().toBytes(), p.maxRecordBytes().toBytes(), p.autoCreateTopics(), storage.isReady());
        if (p.security().open()) {
            log.warn("No token configured (minimq.broker.security.tokens): anyone who can reach this port can "
                    + "produce, consume and delete topics");
        }
    }
}
