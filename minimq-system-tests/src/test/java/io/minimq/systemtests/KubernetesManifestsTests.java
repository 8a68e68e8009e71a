package io.minimq.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code deploy/k8s} as {@code kubectl apply -k} would create it, checked against the spec
 * (docs/SYSTEM.md, Deployment) and against the real apps: every probe and scrape path is GET on
 * the running app's jar, every port is the app's {@code server.port}.
 */
@ExtendWith(RunningApps.Extension.class)
class KubernetesManifestsTests {

    private static final String NAME_LABEL = "app.kubernetes.io/name";

    private static KubernetesManifests manifests;

    @BeforeAll
    static void render() {
        manifests = KubernetesManifests.load();
    }

    @Test
    void createsWhatTheSpecLists() {
        assertThat(manifests.get("Namespace", "minimq").exists()).isTrue();
        Tree broker = manifests.get("StatefulSet", "broker");
        assertThat(broker.at("spec", "replicas").number()).isEqualTo(1);
        assertThat(broker.at("spec", "serviceName").text()).isEqualTo("broker");
        assertThat(manifests.get("Service", "broker").at("spec", "ports", 0, "port").number()).isEqualTo(5000);
        Tree dashboardService = manifests.get("Service", "dashboard");
        assertThat(dashboardService.at("spec", "type").text()).isEqualTo("LoadBalancer");
        assertThat(dashboardService.at("spec", "ports", 0, "port").number()).isEqualTo(8080);
        assertThat(manifests.get("Deployment", "dashboard").exists()).isTrue();
        assertThat(manifests.get("DaemonSet", "agent").exists()).isTrue();
        assertThat(manifests.ofKind("Secret")).hasSize(1);
        assertThat(manifests.ofKind("NetworkPolicy")).hasSize(1);
    }

    @Test
    void everythingLivesInTheMinimqNamespace() {
        assumeTrue(manifests.rendered(), "kubectl not installed: namespace is applied by kustomize");
        manifests.all().stream().filter(o -> !"Namespace".equals(o.at("kind").text()))
                .forEach(o -> assertThat(o.at("metadata", "namespace").textOrNull()).as(o.at("kind").text() + " "
                        + o.at("metadata", "name").text()).isEqualTo("minimq"));
    }

    @Test
    void eachAppPortIsItsServerPort() {
        for (String app : Repository.APPS) {
            Tree container = container(app);
            assertThat(container.at("ports").find("name", "http").at("containerPort").number()).as(app)
                    .isEqualTo(Repository.serverPort(app));
        }
    }

    @Test
    void probesPointAtPathsTheAppsServe(RunningApps apps) {
        for (String app : Repository.APPS) {
            Tree container = container(app);
            Map<String, String> expectedPaths = Map.of("startupProbe", "/actuator/health/liveness", "livenessProbe",
                    "/actuator/health/liveness", "readinessProbe", "/actuator/health/readiness");
            expectedPaths.forEach((probe, expectedPath) -> {
                Tree get = container.at(probe, "httpGet");
                String path = get.at("path").text();
                assertThat(path).as(app + " " + probe).isEqualTo(expectedPath);
                assertThat(resolvePort(container, get.at("port"))).as(app + " " + probe + " port")
                        .isEqualTo(Repository.serverPort(app));
                assertThat(apps.status(app, path)).as("GET " + path + " on the " + app).isEqualTo(200);
            });
        }
    }

    @Test
    void prometheusAnnotationsPointAtTheMetricsEndpoint(RunningApps apps) {
        for (String app : Repository.APPS) {
            Map<String, String> annotations = workload(app).at("spec", "template", "metadata", "annotations")
                    .strings();
            assertThat(annotations).as(app).containsEntry("prometheus.io/scrape", "true")
                    .containsEntry("prometheus.io/port", String.valueOf(Repository.serverPort(app)));
            String path = annotations.get("prometheus.io/path");
            assertThat(apps.get(app, path)).as(app + " " + path).contains("# TYPE");
        }
    }

    @Test
    void containersRunNonRootReadOnlyWithoutPrivilegesAndWithinLimits() {
        for (Tree workload : manifests.workloads()) {
            Tree pod = workload.at("spec", "template", "spec");
            assertThat(pod.at("automountServiceAccountToken").textOrNull()).as(pod.path()).isEqualTo("false");
            pod.at("containers").items().forEach(container -> {
                String name = container.path();
                assertThat(effective(pod, container, "runAsNonRoot").isTrue()).as(name + " runAsNonRoot").isTrue();
                assertThat(effective(pod, container, "runAsUser").number()).as(name + " runAsUser").isPositive();
                Tree security = container.at("securityContext");
                assertThat(security.at("readOnlyRootFilesystem").isTrue()).as(name + " readOnlyRootFilesystem")
                        .isTrue();
                assertThat(security.at("allowPrivilegeEscalation").textOrNull()).as(name).isEqualTo("false");
                assertThat(security.at("capabilities", "drop").items().map(Tree::text)).as(name).containsExactly(
                        "ALL");
                assertThat(security.at("capabilities", "add").exists()).as(name + " adds capabilities").isFalse();
                assertThat(security.at("privileged").isTrue()).as(name + " privileged").isFalse();
                for (String kind : List.of("requests", "limits")) {
                    assertThat(container.at("resources", kind).strings()).as(name + " " + kind)
                            .containsKeys("cpu", "memory");
                }
                // A read-only root needs a writable /tmp (Tomcat's work dir, OSHI's native library).
                String tmpVolume = mountAt(container, "/tmp").at("name").text();
                assertThat(pod.at("volumes").find("name", tmpVolume).at("emptyDir").exists()).as(name + " /tmp")
                        .isTrue();
            });
        }
    }

    @Test
    void agentRunsOnEveryNodeAndReadsTheHostReadOnly() {
        Tree daemonSet = manifests.get("DaemonSet", "agent");
        Tree pod = daemonSet.at("spec", "template", "spec");
        assertThat(pod.at("tolerations").items()).as("tolerates every taint")
                .anySatisfy(t -> {
                    assertThat(t.at("operator").text()).isEqualTo("Exists");
                    assertThat(t.at("key").exists()).isFalse();
                    assertThat(t.at("effect").exists()).isFalse();
                });
        assertThat(pod.at("nodeSelector").strings()).containsEntry("kubernetes.io/os", "linux");
        Tree agent = container("agent");
        Tree nodeName = agent.at("env").find("name", "NODE_NAME");
        assertThat(nodeName.at("valueFrom", "fieldRef", "fieldPath").text()).isEqualTo("spec.nodeName");
        assertThat(env(agent, "MINIMQ_AGENT_HOST_PROC")).isEqualTo("/host/proc");
        assertThat(env(agent, "MINIMQ_AGENT_HOST_SYS")).isEqualTo("/host/sys");
        assertThat(env(agent, "MINIMQ_AGENT_HOST_ROOT")).isEqualTo("/host/root");

        Map<String, String> hostPaths = Map.of("/host/proc", "/proc", "/host/sys", "/sys", "/host/root", "/");
        hostPaths.forEach((mountPath, hostPath) -> {
            Tree mount = mountAt(agent, mountPath);
            assertThat(mount.at("readOnly").isTrue()).as(mountPath + " read-only").isTrue();
            Tree volume = pod.at("volumes").find("name", mount.at("name").text());
            assertThat(volume.at("hostPath", "path").text()).as(mountPath).isEqualTo(hostPath);
        });
        assertThat(mountAt(agent, "/host/root").at("mountPropagation").text()).isEqualTo("HostToContainer");
        // Nothing else of the host is writable: every hostPath volume is mounted read-only.
        pod.at("volumes").items().filter(v -> v.at("hostPath").exists()).forEach(volume -> agent.at("volumeMounts")
                .items().filter(m -> m.at("name").text().equals(volume.at("name").text()))
                .forEach(m -> assertThat(m.at("readOnly").isTrue()).as(m.path()).isTrue()));
    }

    @Test
    void brokerKeepsItsLogOnThePersistentVolumeClaim() {
        Tree statefulSet = manifests.get("StatefulSet", "broker");
        Tree broker = container("broker");
        String dataDir = env(broker, "MINIMQ_BROKER_DATA_DIR");
        assertThat(dataDir).isEqualTo("/app/data");
        String volume = mountAt(broker, dataDir).at("name").text();
        assertThat(statefulSet.at("spec", "volumeClaimTemplates").items().map(t -> t.at("metadata", "name").text()))
                .as("the data mount comes from a volumeClaimTemplate").contains(volume);
        assertThat(statefulSet.at("spec", "template", "spec", "securityContext", "fsGroup").number())
                .as("the volume is writable by the non-root user").isPositive();
    }

    @Test
    void clientsReachTheBrokerThroughItsService() {
        Tree service = manifests.get("Service", "broker");
        String url = "http://broker:" + service.at("spec", "ports", 0, "port").text();
        assertThat(env(container("agent"), "MINIMQ_AGENT_BROKER_URL")).isEqualTo(url);
        assertThat(env(container("dashboard"), "MINIMQ_DASHBOARD_BROKER_URL")).isEqualTo(url);
        for (String name : List.of("broker", "dashboard")) {
            Tree svc = manifests.get("Service", name);
            assertThat(svc.at("spec", "selector").strings()).as("Service " + name + " selects its pods")
                    .isEqualTo(Map.of(NAME_LABEL, Repository.module(name)));
            assertThat(resolvePort(container(name), svc.at("spec", "ports", 0, "targetPort")))
                    .isEqualTo(Repository.serverPort(name));
        }
    }

    @Test
    void tokensComeFromTheSecretWithTheRolesEachClientNeeds() {
        Tree secret = manifests.ofKind("Secret").get(0);
        String secretName = secret.at("metadata", "name").text();
        Set<String> keys = secret.at("stringData").strings().keySet();
        Tree broker = container("broker");
        String agentKey = secretKey(container("agent"), "MINIMQ_AGENT_TOKEN", secretName, keys);
        String dashboardKey = secretKey(container("dashboard"), "MINIMQ_DASHBOARD_TOKEN", secretName, keys);
        Map<String, Set<String>> rolesByKey = brokerTokenRoles(broker, secretName, keys);
        assertThat(rolesByKey.get(agentKey)).as("agent token roles").contains("produce");
        assertThat(rolesByKey.get(dashboardKey)).as("dashboard token roles").contains("consume");
    }

    @Test
    void onlyAgentsAndTheDashboardReachTheBroker() {
        Tree policy = manifests.ofKind("NetworkPolicy").get(0);
        Map<String, String> target = policy.at("spec", "podSelector", "matchLabels").strings();
        assertThat(selects(target, "broker")).as("policy selects the broker pods").isTrue();
        assertThat(selects(target, "agent") || selects(target, "dashboard")).isFalse();
        assertThat(policy.at("spec", "policyTypes").items().map(Tree::text)).contains("Ingress");

        Set<String> admittedApps = policy.at("spec", "ingress").items()
                .flatMap(rule -> rule.at("from").items())
                .filter(peer -> peer.at("podSelector").exists())
                .flatMap(peer -> Repository.APPS.stream()
                        .filter(app -> selects(peer.at("podSelector", "matchLabels").strings(), app)))
                .collect(Collectors.toSet());
        assertThat(admittedApps).containsExactlyInAnyOrder("agent", "dashboard");
        policy.at("spec", "ingress").items().forEach(rule -> {
            assertThat(rule.at("from").items()).as("no rule admits everyone").isNotEmpty();
            rule.at("from").items().forEach(peer -> assertThat(peer.at("ipBlock").exists()).isFalse());
            assertThat(rule.at("ports").items().map(p -> p.at("port").number()))
                    .containsOnly(Repository.serverPort("broker"));
        });
    }

    @Test
    void imagesAreNamedOnlyInTheKustomization() {
        Tree kustomization = KubernetesManifests.kustomization();
        Map<String, Tree> images = kustomization.at("images").items()
                .collect(Collectors.toMap(i -> i.at("name").text(), i -> i));
        assertThat(images.keySet()).containsExactlyInAnyOrder("minimq-broker", "minimq-agent", "minimq-dashboard");
        images.values().forEach(image -> assertThat(image.at("newTag").text()).as(image.path())
                .isEqualTo(Repository.version()));
        assumeTrue(manifests.rendered(), "kubectl not installed: image rewriting is done by kustomize");
        for (String app : Repository.APPS) {
            Tree image = images.get(Repository.module(app));
            assertThat(container(app).at("image").text())
                    .isEqualTo(image.at("newName").text() + ":" + image.at("newTag").text());
        }
    }

    // ---- helpers ------------------------------------------------------------------------

    private static Tree workload(String app) {
        return manifests.workloads().stream()
                .filter(w -> Repository.module(app).equals(
                        w.at("spec", "template", "metadata", "labels", NAME_LABEL).textOrNull()))
                .findFirst().orElseThrow(() -> new AssertionError("no workload for " + app));
    }

    private static Tree container(String app) {
        return workload(app).at("spec", "template", "spec", "containers", 0);
    }

    private static boolean selects(Map<String, String> matchLabels, String app) {
        Map<String, String> labels = workload(app).at("spec", "template", "metadata", "labels").strings();
        return !matchLabels.isEmpty() && labels.entrySet().containsAll(matchLabels.entrySet());
    }

    private static int resolvePort(Tree container, Tree port) {
        String value = port.text();
        if (value.chars().allMatch(Character::isDigit)) {
            return Integer.parseInt(value);
        }
        return container.at("ports").find("name", value).at("containerPort").number();
    }

    private static Tree mountAt(Tree container, String mountPath) {
        return container.at("volumeMounts").find("mountPath", mountPath);
    }

    private static String env(Tree container, String name) {
        return container.at("env").find("name", name).at("value").text();
    }

    private static Tree effective(Tree pod, Tree container, String key) {
        Tree own = container.at("securityContext", key);
        return own.exists() ? own : pod.at("securityContext", key);
    }

    private static String secretKey(Tree container, String env, String secretName, Set<String> keys) {
        Tree ref = container.at("env").find("name", env).at("valueFrom", "secretKeyRef");
        assertThat(ref.at("name").text()).as(env).isEqualTo(secretName);
        assertThat(keys).as(env).contains(ref.at("key").text());
        return ref.at("key").text();
    }

    /** Secret key → roles, from the broker's MINIMQ_BROKER_SECURITY_TOKENS_i_TOKEN / _ROLES_j. */
    private static Map<String, Set<String>> brokerTokenRoles(Tree broker, String secretName, Set<String> keys) {
        List<Tree> env = broker.at("env").items().toList();
        return env.stream().filter(e -> e.at("name").text().matches("MINIMQ_BROKER_SECURITY_TOKENS_\\d+_TOKEN"))
                .collect(Collectors.toMap(e -> {
                    Tree ref = e.at("valueFrom", "secretKeyRef");
                    assertThat(ref.at("name").text()).isEqualTo(secretName);
                    assertThat(keys).contains(ref.at("key").text());
                    return ref.at("key").text();
                }, e -> {
                    String name = e.at("name").text();
                    String prefix = name.substring(0, name.length() - "TOKEN".length()) + "ROLES_";
                    return env.stream().filter(r -> r.at("name").text().startsWith(prefix))
                            .map(r -> r.at("value").text()).collect(Collectors.toSet());
                }));
    }
}
