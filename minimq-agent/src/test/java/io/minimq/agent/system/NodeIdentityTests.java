package io.minimq.agent.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeIdentityTests {

    @Test
    void configuredNameWinsOverTheEnvironment() {
        assertThat(NodeIdentity.resolve("n1", Map.of("NODE_NAME", "k8s-node")).name()).isEqualTo("n1");
    }

    @Test
    void nodeNameFromTheDownwardApiWhenNothingIsConfigured() {
        assertThat(NodeIdentity.resolve("", Map.of("NODE_NAME", "k8s-node")).name()).isEqualTo("k8s-node");
    }

    @Test
    void otherwiseTheHostName() throws Exception {
        assertThat(NodeIdentity.resolve(null, Map.of()).name()).isEqualTo(InetAddress.getLocalHost().getHostName());
    }
}
