import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * What a 10.5 KiB {@code pwrite} (one batched produce's bytes) costs on this machine, into new
 * page-cache pages and into pages already cached: 1 GiB written in such chunks into a new file
 * ({@code new}), or into a file first filled with zeros in 1 MiB writes ({@code cached}; the
 * fill is reported apart). CPU time of this process per chunk. See bench/NOTES.md, "Page
 * cache in this VM".
 *
 *   java bench/api/PageCacheTouch.java new|cached [file]
 */
public class PageCacheTouch {

    public static void main(String[] args) throws Exception {
        int chunk = 10_500;
        long total = 1L << 30;
        boolean cached = args.length > 0 && args[0].equals("cached");
        Path file = Path.of(args.length > 1 ? args[1] : "page-cache-touch.tmp");
        Files.deleteIfExists(file);
        ByteBuffer data = ByteBuffer.allocateDirect(chunk);
        while (data.hasRemaining()) {
            data.put((byte) 'x');
        }
        ByteBuffer zeros = ByteBuffer.allocateDirect(1 << 20);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            long c0 = cpu();
            if (cached) {
                for (long position = 0; position < total + chunk; position += zeros.capacity()) {
                    channel.write(zeros.clear(), position);
                }
            }
            long c1 = cpu();
            long chunks = 0;
            for (long position = 0; position + chunk <= total; position += chunk) {
                channel.write(data.clear(), position);
                chunks++;
            }
            long c2 = cpu();
            System.out.printf("%s pages: %.1f us CPU per %d-byte pwrite (the zero fill before: %.1f us per chunk's worth)%n",
                    cached ? "cached" : "new", (c2 - c1) / 1e3 / chunks, chunk, (c1 - c0) / 1e3 / chunks);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static long cpu() {
        return ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }
}
