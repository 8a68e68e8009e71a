package io.minimq.e2e;

import java.time.Duration;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/** The dashboard's cluster view as a test reads it, through the page hooks of SYSTEM.md. */
final class ClusterPage {

    private ClusterPage() {
    }

    static By card(String node) {
        return By.cssSelector("[data-node='" + node + "']");
    }

    static By metric(String node, String metric) {
        return By.cssSelector("[data-node='" + node + "'] [data-metric='" + metric + "']");
    }

    /**
     * Waits until the node's card shows a sample that arrived within the last second, after
     * {@code after} has passed: the page is still receiving the live stream (a value that happens
     * to repeat, as an idle host's CPU does, cannot fool it; a stalled stream makes the age grow).
     */
    static void receivesSamples(WebDriver browser, String node, Duration after) throws InterruptedException {
        Thread.sleep(after.toMillis());
        By lastSeen = By.cssSelector("[data-node='" + node + "'] .last-seen");
        new WebDriverWait(browser, Duration.ofSeconds(15)).until(d -> d.findElement(lastSeen).getText()
                .matches("Last sample [01] s ago"));
    }
}
