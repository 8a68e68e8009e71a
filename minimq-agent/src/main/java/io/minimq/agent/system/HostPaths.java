package io.minimq.agent.system;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where OSHI reads the host: the system properties OSHI takes its {@code /proc} and {@code /sys}
 * locations from, and the {@code /proc} the agent itself reads ({@link #proc()}).
 *
 * <p>Call {@link #useProc} / {@link #useSys} before the first OSHI class loads; OSHI reads the
 * properties once per JVM.
 */
public final class HostPaths {

    /** OSHI's setting for the {@code /proc} filesystem location. */
    public static final String OSHI_PROC_PATH = "oshi.util.proc.path";
    /** OSHI's setting for the {@code /sys} filesystem location. */
    public static final String OSHI_SYS_PATH = "oshi.util.sys.path";

    private HostPaths() {
    }

    /** Makes OSHI (and {@link #proc()}) read {@code proc} instead of {@code /proc}, unless set with -D. */
    public static void useProc(Path proc) {
        System.setProperty(OSHI_PROC_PATH, System.getProperty(OSHI_PROC_PATH, proc.toString()));
    }

    /** Makes OSHI read {@code sys} instead of {@code /sys}, unless set with -D. */
    public static void useSys(Path sys) {
        System.setProperty(OSHI_SYS_PATH, System.getProperty(OSHI_SYS_PATH, sys.toString()));
    }

    /** The {@code /proc} in use: the host's in host mode, else {@code /proc}. */
    public static Path proc() {
        return Path.of(System.getProperty(OSHI_PROC_PATH, "/proc"));
    }

    /** True when the agent reads a host {@code /proc} mounted somewhere else than {@code /proc}. */
    public static boolean hostMode() {
        return !proc().equals(Path.of("/proc"));
    }

    /** The directory named by a setting, failing with the setting's name when it is unusable. */
    static Path requireDirectory(String key, String value, String expectedFile) {
        Path path = Path.of(value).toAbsolutePath().normalize();
        if (!Files.isDirectory(path)) {
            throw new IllegalStateException(key + "=" + value + " is not a directory");
        }
        if (expectedFile != null && !Files.exists(path.resolve(expectedFile))) {
            throw new IllegalStateException(key + "=" + value + " has no '" + expectedFile + "': is it a /proc mount?");
        }
        return path;
    }
}
