package io.minimq.agent.collect;

import io.minimq.agent.system.HostPaths;
import java.nio.file.Files;
import java.nio.file.Path;
import oshi.PlatformEnum;
import oshi.SystemInfo;
import oshi.hardware.HardwareAbstractionLayer;
import oshi.hardware.NetworkIF;

/** Running totals of bytes received and sent by the host's network interfaces, loopback excluded. */
@FunctionalInterface
public interface NetworkCounters {

    /** Bytes received and sent since the interfaces came up. */
    Totals read();

    /** Two byte counters. */
    record Totals(long rxBytes, long txBytes) {
    }

    /**
     * The counters of the host. On Linux they come from {@code /proc/net/dev}; in host mode from
     * the host's init process ({@code <host-proc>/1/net/dev}), because {@code <host-proc>/net}
     * links to the reading process and would show the container's own network namespace.
     * Elsewhere OSHI's interface list.
     */
    static NetworkCounters forHost(HardwareAbstractionLayer hardware) {
        if (SystemInfo.getCurrentPlatform() == PlatformEnum.LINUX) {
            Path proc = HostPaths.proc();
            Path hostInit = proc.resolve("1/net/dev");
            if (HostPaths.hostMode() && Files.isReadable(hostInit)) {
                return new ProcNetDev(hostInit);
            }
            return new ProcNetDev(proc.resolve("net/dev"));
        }
        return () -> {
            long rx = 0;
            long tx = 0;
            for (NetworkIF nif : hardware.getNetworkIFs(false)) {
                rx += nif.getBytesRecv();
                tx += nif.getBytesSent();
            }
            return new Totals(rx, tx);
        };
    }
}
