package io.minimq.agent.collect;

import io.minimq.common.metrics.MetricSample;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import oshi.software.os.FileSystem;
import oshi.software.os.OSFileStore;

/**
 * Disk usage of the root filesystem ({@code value}) and of every real mount ({@code details.mounts}).
 *
 * <p>Mounts come from OSHI's local file stores, which already leave out pseudo filesystems
 * ({@code proc}, {@code sysfs}, {@code cgroup}, {@code overlay}, ...; OSHI's
 * {@code oshi.pseudo.filesystem.types}) and network filesystems; memory-backed ones
 * ({@code tmpfs}, {@code ramfs}) are left out here too. Used = total - free, percent = used / total.
 *
 * <p>With a host root (host mode) the root is the filesystem holding {@code host-root}, and the
 * other mounts are those below {@code host-root}, reported under their host path
 * ({@code /host/root/boot} is {@code /boot}); the container's own mounts are not reported.
 */
public final class DiskCollector implements MetricCollector {

    private static final Set<String> MEMORY_FILESYSTEMS = Set.of("tmpfs", "ramfs");

    private final FileSystem fileSystem;
    private final Path root;
    private final boolean hostRoot;
    private final String node;
    private final Clock clock;

    /** A collector for {@code fileSystem}; {@code hostRoot} is the host's {@code /} mounted here, or null. */
    public DiskCollector(FileSystem fileSystem, Path hostRoot, String node, Clock clock) {
        this.fileSystem = fileSystem;
        this.root = hostRoot == null ? Path.of("/") : hostRoot.toAbsolutePath().normalize();
        this.hostRoot = hostRoot != null;
        this.node = node;
        this.clock = clock;
    }

    /** One mounted filesystem's usage, an element of {@code details.mounts}. */
    public record Mount(String mount, long totalBytes, long usedBytes, double percent) {

        static Mount of(String mount, long totalBytes, long freeBytes) {
            long used = Math.max(0, totalBytes - freeBytes);
            return new Mount(mount, totalBytes, used, Math.round(used * 10_000.0 / totalBytes) / 100.0);
        }
    }

    @Override
    public String metric() {
        return "disk";
    }

    @Override
    public Optional<MetricSample> collect() {
        long takenAt = clock.millis();
        Mount rootMount = rootUsage();
        Map<String, Mount> mounts = new LinkedHashMap<>();
        mounts.put("/", rootMount);
        for (OSFileStore store : fileSystem.getFileStores(true)) {
            String mount = reportedMount(store.getMount());
            if (mount != null && store.getTotalSpace() > 0 && !MEMORY_FILESYSTEMS.contains(store.getType())) {
                mounts.putIfAbsent(mount, Mount.of(mount, store.getTotalSpace(), store.getFreeSpace()));
            }
        }
        return Optional.of(new MetricSample(node, metric(), takenAt, rootMount.percent(), MetricSample.PERCENT,
                Map.of("mounts", List.copyOf(new ArrayList<>(mounts.values())))));
    }

    private Mount rootUsage() {
        try {
            FileStore store = Files.getFileStore(root);
            return Mount.of("/", store.getTotalSpace(), store.getUnallocatedSpace());
        } catch (IOException e) {
            throw new IllegalStateException("cannot stat the root filesystem at " + root, e);
        }
    }

    /** The name a mount point is reported under, or null when it is not the host's. */
    private String reportedMount(String mountPoint) {
        if (!hostRoot) {
            return mountPoint;
        }
        String prefix = root.toString();
        if (mountPoint.startsWith(prefix + "/")) {
            return mountPoint.substring(prefix.length());
        }
        return null;
    }
}
