package io.minimq.agent.collect;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads Linux's {@code /proc/net/dev}: two header lines, then one line per interface,
 * {@code "  eth0: <rx bytes> <rx packets> ... (8 receive fields) <tx bytes> ..."}.
 * Sums every interface except loopback.
 */
final class ProcNetDev implements NetworkCounters {

    private static final int RX_BYTES = 0;
    private static final int TX_BYTES = 8;

    private final Path file;

    ProcNetDev(Path file) {
        this.file = file;
    }

    @Override
    public Totals read() {
        try {
            return parse(Files.readAllLines(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    static Totals parse(List<String> lines) {
        long rx = 0;
        long tx = 0;
        for (String line : lines) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue; // header
            }
            if (line.substring(0, colon).strip().equals("lo")) {
                continue;
            }
            String[] fields = line.substring(colon + 1).strip().split("\\s+");
            if (fields.length > TX_BYTES) {
                rx += Long.parseLong(fields[RX_BYTES]);
                tx += Long.parseLong(fields[TX_BYTES]);
            }
        }
        return new Totals(rx, tx);
    }

    @Override
    public String toString() {
        return file.toString();
    }
}
