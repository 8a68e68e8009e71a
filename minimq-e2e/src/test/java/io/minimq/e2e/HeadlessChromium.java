package io.minimq.e2e;

import static org.junit.jupiter.api.Assertions.fail;

import io.minimq.testkit.Browsers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's Chromium driven by Debian's chromedriver (never a downloaded browser: Selenium
 * Manager stays off because the driver path is given). Skips the test with a clear message on a
 * machine without them, and fails instead under CI.
 */
final class HeadlessChromium {

    private HeadlessChromium() {
    }

    static ChromeDriver start() {
        String missing = Browsers.missingReason();
        if (missing != null) {
            if (Browsers.underCi()) {
                fail(missing + " (CI=true: browser tests must run in CI)");
            }
            Assumptions.abort(missing);
        }
        System.setProperty("webdriver.chrome.driver", Browsers.CHROMEDRIVER.toString());
        ChromeOptions options = new ChromeOptions();
        options.setBinary(Browsers.CHROMIUM.toFile());
        options.addArguments(Browsers.headlessArguments());
        try {
            Path profile = Files.createTempDirectory("minimq-chromium-");
            options.addArguments("--user-data-dir=" + profile);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(Browsers.CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        return driver;
    }
}
