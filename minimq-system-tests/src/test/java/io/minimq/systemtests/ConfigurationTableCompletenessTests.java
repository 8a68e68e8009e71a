package io.minimq.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Every {@code minimq.*} property an app binds (its {@code @ConfigurationProperties}) has a row
 * in the README's configuration table.
 */
class ConfigurationTableCompletenessTests {

    @Test
    void everyBoundPropertyIsDocumented() {
        Set<String> documented = ConfigurationReference.documentedKeys();
        assertThat(ConfigurationReference.boundProperties())
                .allSatisfy(property -> assertThat(documented).as("a README row for " + property)
                        .anyMatch(key -> ConfigurationReference.covers(key, property)));
    }
}
