package io.minimq.testkit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Where Debian's Chromium and ChromeDriver are, for the browser tests. A test that needs them
 * uses {@link HeadlessChromium}, which skips with a clear message on a machine without them,
 * fail under CI ({@code CI=true}) so CI can never skip a browser test silently.
 */
public final class Browsers {

    public static final Path CHROMIUM = firstExisting("/usr/bin/chromium", "/usr/bin/chromium-browser");
    public static final Path CHROMEDRIVER = firstExisting("/usr/bin/chromedriver",
            "/usr/lib/chromium/chromedriver");

    private Browsers() {
    }

    /** True when both Chromium and ChromeDriver are installed. */
    public static boolean available() {
        return CHROMIUM != null && CHROMEDRIVER != null;
    }

    /** True when running under CI (environment {@code CI=true}). */
    public static boolean underCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /**
     * Why a browser test cannot run here, or null when it can. Under CI a missing browser is an
     * error, not a reason to skip: callers fail with this message there.
     */
    public static String missingReason() {
        if (available()) {
            return null;
        }
        return "Chromium browser test needs Debian's chromium and chromium-driver "
                + "(apt-get install -y chromium chromium-driver); not found at /usr/bin/chromium, /usr/bin/chromedriver";
    }

    /** The command-line flags for a headless Chromium on a machine without network or GPU. */
    public static List<String> headlessArguments() {
        return List.of("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--window-size=1280,900");
    }

    private static Path firstExisting(String... candidates) {
        for (String candidate : candidates) {
            Path path = Path.of(candidate);
            if (Files.isExecutable(path)) {
                return path;
            }
        }
        return null;
    }
}
