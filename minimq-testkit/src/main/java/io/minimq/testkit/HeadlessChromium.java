package io.minimq.testkit;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's Chromium driven by Debian's chromedriver for the browser tests (never a downloaded
 * browser: the driver path is given, so Selenium Manager stays off). On a machine without them
 * the calling test is skipped with a clear message, and under CI ({@code CI=true}) it fails
 * instead, so CI can never skip a browser test silently.
 */
public final class HeadlessChromium {

    private HeadlessChromium() {
    }

    /** A new headless browser with its own empty profile; the caller quits it. */
    public static ChromeDriver start() {
        String missing = Browsers.missingReason();
        if (missing != null) {
            if (Browsers.underCi()) {
                fail(missing + " (CI=true: browser tests must run in CI)");
            }
            Assumptions.abort(missing);
        }
        System.setProperty(ChromeDriverService.CHROME_DRIVER_EXE_PROPERTY, Browsers.CHROMEDRIVER.toString());
        ChromeOptions options = new ChromeOptions();
        options.setBinary(Browsers.CHROMIUM.toFile());
        options.addArguments(Browsers.headlessArguments());
        try {
            options.addArguments("--user-data-dir=" + Files.createTempDirectory("minimq-chromium-"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(Browsers.CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        return driver;
    }
}
