package io.minimq.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The README's configuration table names only properties the apps really bind: a renamed or
 * mistyped key in the documentation fails here.
 */
class ConfigurationTableTests {

    @Test
    void everyDocumentedMinimqKeyIsBoundByAnApp() {
        Set<String> bound = ConfigurationReference.boundProperties();
        ConfigurationReference.documentedKeys().stream().filter(key -> key.startsWith("minimq."))
                .forEach(key -> assertThat(bound).as("README key " + key + " (from @ConfigurationProperties)")
                        .anyMatch(property -> ConfigurationReference.covers(key, property)));
    }

    @Test
    void readsBothSides() {
        assertThat(ConfigurationReference.documentedKeys()).contains("server.port");
        assertThat(ConfigurationReference.boundProperties()).contains("minimq.broker.data-dir",
                "minimq.agent.broker-url");
    }
}
