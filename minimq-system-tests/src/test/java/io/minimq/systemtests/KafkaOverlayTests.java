package io.minimq.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code deploy/k8s/overlays/kafka} as {@code kubectl kustomize} renders it: the broker as a
 * stateless Deployment of three replicas (no volume) configured for the Strimzi {@code Kafka}
 * cluster in the same overlay, everything else as in the base.
 */
class KafkaOverlayTests {

    private static final String OVERLAY = KubernetesManifests.DIR + "/overlays/kafka";
    private static final String NAME_LABEL = "app.kubernetes.io/name";
    private static KubernetesManifests rendered;

    @BeforeAll
    static void render() {
        if (!KubernetesManifests.kubectlAvailable()) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail("kubectl is missing: CI must render " + OVERLAY);
            }
            Assumptions.abort("kubectl not installed: the Kafka overlay needs kustomize to render");
        }
        rendered = KubernetesManifests.render(OVERLAY);
    }

    private static Tree brokerContainer(Tree deployment) {
        return deployment.at("spec", "template", "spec", "containers").items()
                .filter(c -> "broker".equals(c.at("name").textOrNull())).findFirst().orElseThrow();
    }

    private static Map<String, String> env(Tree container) {
        return container.at("env").items().filter(e -> e.at("value").exists())
                .collect(Collectors.toMap(e -> e.at("name").text(), e -> e.at("value").text()));
    }

    @Test
    void theBrokerIsAStatelessDeploymentOfThreeReplicas() {
        assertThat(rendered.ofKind("StatefulSet")).as("no single-disk broker").isEmpty();
        assertThat(rendered.ofKind("PersistentVolumeClaim")).isEmpty();
        Tree broker = rendered.get("Deployment", "broker");
        assertThat(broker.at("spec", "replicas").number()).isEqualTo(3);
        assertThat(broker.at("spec", "template", "metadata", "labels", NAME_LABEL).text()).isEqualTo("minimq-broker");
        assertThat(broker.at("spec", "template", "spec", "volumes").items()
                .filter(v -> v.at("persistentVolumeClaim").exists())).isEmpty();
        assertThat(broker.at("metadata", "namespace").text()).isEqualTo("minimq");

        Tree service = rendered.get("Service", "broker");
        assertThat(service.at("spec", "selector", NAME_LABEL).text()).isEqualTo("minimq-broker");
        assertThat(service.at("spec", "ports", 0, "port").number()).isEqualTo(Repository.serverPort("broker"));
        Tree budget = rendered.get("PodDisruptionBudget", "broker");
        assertThat(budget.at("spec", "minAvailable").number()).isBetween(1, 2);
    }

    @Test
    void theBrokerPointsAtTheKafkaClusterOfTheOverlay() {
        Tree kafka = rendered.get("Kafka", "minimq-kafka");
        Tree listener = kafka.at("spec", "kafka", "listeners").items()
                .filter(l -> "internal".equals(l.at("type").textOrNull())).findFirst().orElseThrow();
        Map<String, String> env = env(brokerContainer(rendered.get("Deployment", "broker")));
        assertThat(env).containsEntry("MINIMQ_BROKER_STORAGE", "kafka")
                .containsEntry("MINIMQ_BROKER_KAFKA_BOOTSTRAP_SERVERS",
                        "minimq-kafka-kafka-bootstrap:" + listener.at("port").number());
        assertThat(env).doesNotContainKey("MINIMQ_BROKER_DATA_DIR");

        Tree pool = rendered.ofKind("KafkaNodePool").get(0);
        assertThat(pool.at("metadata", "labels", "strimzi.io/cluster").text()).isEqualTo("minimq-kafka");
        int kafkaNodes = pool.at("spec", "replicas").number();
        assertThat(Integer.parseInt(env.get("MINIMQ_BROKER_KAFKA_REPLICATION_FACTOR"))).isBetween(1, kafkaNodes);
        Map<String, String> config = kafka.at("spec", "kafka", "config").strings();
        assertThat(Integer.parseInt(config.get("transaction.state.log.replication.factor"))).isLessThanOrEqualTo(kafkaNodes);
        assertThat(Integer.parseInt(config.get("offsets.topic.replication.factor"))).isLessThanOrEqualTo(kafkaNodes);
        // Strimzi's own NetworkPolicy admits only the broker pods to the listener.
        List<Map<String, String>> peers = listener.at("networkPolicyPeers").items()
                .map(p -> p.at("podSelector", "matchLabels").strings()).toList();
        assertThat(peers).containsExactly(Map.of(NAME_LABEL, "minimq-broker"));
    }

    @Test
    void probesSecurityAndImageMatchTheBase() {
        KubernetesManifests base = KubernetesManifests.load();
        Tree baseBroker = brokerContainer(base.get("StatefulSet", "broker"));
        Tree broker = brokerContainer(rendered.get("Deployment", "broker"));
        for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
            assertThat(broker.at(probe, "httpGet", "path").text()).as(probe)
                    .isEqualTo(baseBroker.at(probe, "httpGet", "path").text());
            assertThat(broker.at(probe, "httpGet", "port").text()).as(probe).isEqualTo("http");
        }
        assertThat(broker.at("ports", 0, "containerPort").number()).isEqualTo(Repository.serverPort("broker"));
        assertThat(broker.at("securityContext", "readOnlyRootFilesystem").text()).isEqualTo("true");
        assertThat(broker.at("securityContext", "allowPrivilegeEscalation").text()).isEqualTo("false");
        assertThat(broker.at("securityContext", "capabilities", "drop").items().map(Tree::text)).containsExactly("ALL");
        assertThat(rendered.get("Deployment", "broker").at("spec", "template", "spec", "securityContext", "runAsNonRoot")
                .text()).isEqualTo("true");
        assertThat(broker.at("resources", "limits", "memory").exists()).isTrue();
        if (base.rendered()) {
            assertThat(broker.at("image").text()).as("the overlay's image line is kept in step with the base")
                    .isEqualTo(baseBroker.at("image").text());
        }
        // The same tokens as the base: the agent and dashboard keep working against the replicas.
        assertThat(broker.at("env").items().map(e -> e.at("name").text()).filter(n -> n.contains("TOKENS")).toList())
                .containsExactlyElementsOf(baseBroker.at("env").items().map(e -> e.at("name").text())
                        .filter(n -> n.contains("TOKENS")).toList());
        assertThat(rendered.ofKind("DaemonSet")).hasSize(1);
        assertThat(rendered.get("Deployment", "dashboard")).isNotNull();
    }
}
