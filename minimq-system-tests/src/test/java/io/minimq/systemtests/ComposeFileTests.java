package io.minimq.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.yaml.snakeyaml.Yaml;

/**
 * {@code compose.yaml} (with {@code .env.example} as its env file) against the spec and the real
 * apps: the same checks as for Kubernetes, plus the Prometheus scrape example.
 */
@ExtendWith(RunningApps.Extension.class)
class ComposeFileTests {

    /** {@code ${NAME}}, {@code ${NAME:-default}}, {@code ${NAME:?error}}, as compose interpolates them. */
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Z0-9_]+)(?::([-?])([^}]*))?}");

    private static Tree services;
    private static Tree compose;
    private static Properties envExample;

    @BeforeAll
    static void load() throws Exception {
        compose = Tree.of(new Yaml().load(Repository.read("compose.yaml")));
        services = compose.at("services");
        envExample = new Properties();
        envExample.load(new java.io.StringReader(Repository.read(".env.example")));
    }

    @Test
    void eachAppIsBuiltFromItsDockerfileAtTheRepositoryRoot() {
        for (String app : Repository.APPS) {
            Tree service = services.at(app);
            assertThat(service.at("build", "context").text()).isEqualTo(".");
            String dockerfile = service.at("build", "dockerfile").text();
            assertThat(dockerfile).isEqualTo(Repository.module(app) + "/Dockerfile");
            assertThat(Repository.file(dockerfile)).exists();
            assertThat(service.at("image").text()).isEqualTo(Repository.module(app) + ":" + Repository.version());
        }
    }

    @Test
    void healthchecksProbeWhatTheAppsServeAndClientsWaitForAHealthyBroker(RunningApps apps) {
        for (String app : Repository.APPS) {
            List<String> test = services.at(app, "healthcheck", "test").items().map(Tree::text).toList();
            assertThat(test).as(app).containsExactly("CMD", "healthcheck", "/actuator/health/readiness");
            assertThat(apps.status(app, test.get(2))).as("GET " + test.get(2) + " on the " + app).isEqualTo(200);
        }
        for (String client : List.of("agent", "dashboard")) {
            assertThat(services.at(client, "depends_on", "broker", "condition").text()).as(client)
                    .isEqualTo("service_healthy");
        }
    }

    @Test
    void brokerKeepsItsLogOnANamedVolume() {
        Tree broker = services.at("broker");
        assertThat(environment("broker")).containsEntry("MINIMQ_BROKER_DATA_DIR", "/app/data");
        String mount = broker.at("volumes").items().map(Tree::text).filter(v -> v.endsWith(":/app/data"))
                .findFirst().orElseThrow(() -> new AssertionError("no volume on /app/data"));
        String volume = mount.substring(0, mount.indexOf(':'));
        assertThat(volume).as("a named volume, not a host path").doesNotStartWith("/").doesNotStartWith(".");
        assertThat(compose.at("volumes").entries().map(Map.Entry::getKey)).contains(volume);
    }

    @Test
    void agentReadsTheHostThroughReadOnlyMounts() {
        Tree agent = services.at("agent");
        List<String> volumes = agent.at("volumes").items().map(Tree::text).toList();
        assertThat(volumes).contains("/proc:/host/proc:ro", "/sys:/host/sys:ro", "/:/host/root:ro");
        assertThat(volumes).allSatisfy(v -> assertThat(v).as("host mounts are read-only").endsWith(":ro"));
        Map<String, String> env = environment("agent");
        assertThat(env).containsEntry("MINIMQ_AGENT_HOST_PROC", "/host/proc")
                .containsEntry("MINIMQ_AGENT_HOST_SYS", "/host/sys")
                .containsEntry("MINIMQ_AGENT_HOST_ROOT", "/host/root").containsKey("NODE_NAME");
        assertThat(env.get("NODE_NAME")).isNotBlank();
    }

    @Test
    void clientsReachTheBrokerByServiceNameAndTheDashboardIsPublished() {
        String brokerUrl = "http://broker:" + Repository.serverPort("broker");
        assertThat(environment("agent")).containsEntry("MINIMQ_AGENT_BROKER_URL", brokerUrl);
        assertThat(environment("dashboard")).containsEntry("MINIMQ_DASHBOARD_BROKER_URL", brokerUrl);
        assertThat(services.at("dashboard", "ports").items().map(p -> interpolate(p.text())))
                .contains("8080:" + Repository.serverPort("dashboard"));
    }

    @Test
    void containersRunNonRootWithAReadOnlyRootAndNoCapabilities() {
        for (String app : Repository.APPS) {
            Tree service = services.at(app);
            // The images' USER is a non-root uid (DockerfilesTests); nothing here overrides it.
            assertThat(service.at("user").exists()).as(app + " overrides the image's user").isFalse();
            assertThat(service.at("privileged").isTrue()).as(app).isFalse();
            assertThat(service.at("read_only").isTrue()).as(app + " read_only").isTrue();
            assertThat(service.at("tmpfs").items().map(Tree::text)).as(app).anyMatch(t -> t.startsWith("/tmp"));
            assertThat(service.at("cap_drop").items().map(Tree::text)).as(app).containsExactly("ALL");
            assertThat(service.at("cap_add").exists()).as(app).isFalse();
        }
    }

    @Test
    void tokensComeFromTheEnvFileWithTheRolesEachClientNeeds() {
        Map<String, String> broker = rawEnvironment("broker");
        String agentToken = requiredVariable(rawEnvironment("agent").get("MINIMQ_AGENT_TOKEN"));
        String dashboardToken = requiredVariable(rawEnvironment("dashboard").get("MINIMQ_DASHBOARD_TOKEN"));
        Map<String, List<String>> rolesByVariable = broker.entrySet().stream()
                .filter(e -> e.getKey().matches("MINIMQ_BROKER_SECURITY_TOKENS_\\d+_TOKEN"))
                .collect(Collectors.toMap(e -> requiredVariable(e.getValue()), e -> {
                    String prefix = e.getKey().substring(0, e.getKey().length() - "TOKEN".length()) + "ROLES_";
                    return broker.entrySet().stream().filter(r -> r.getKey().startsWith(prefix))
                            .map(Map.Entry::getValue).toList();
                }));
        assertThat(rolesByVariable.get(agentToken)).as("agent token roles").contains("produce");
        assertThat(rolesByVariable.get(dashboardToken)).as("dashboard token roles").contains("consume");
        rolesByVariable.keySet().forEach(variable -> assertThat(envExample.getProperty(variable))
                .as(variable + " in .env.example").isNotBlank());
        assertThat(Repository.read(".gitignore").lines()).as("the real .env stays out of git").contains(".env");
        assertThat(Repository.read(".dockerignore").lines()).as("and out of images").contains(".env");
    }

    @Test
    void prometheusExampleScrapesEveryAppWhereItServesMetrics(RunningApps apps) {
        Tree config = Tree.of(new Yaml().load(Repository.read("deploy/prometheus/prometheus.yml")));
        List<Tree> jobs = config.at("scrape_configs").items().toList();
        for (String app : Repository.APPS) {
            String target = app + ":" + Repository.serverPort(app);
            Tree job = jobs.stream().filter(j -> j.at("static_configs", 0, "targets").items().map(Tree::text)
                    .anyMatch(target::equals)).findFirst()
                    .orElseThrow(() -> new AssertionError("no scrape job for " + target));
            assertThat(services.at(app).exists()).isTrue();
            String path = job.at("metrics_path").text();
            assertThat(apps.get(app, path)).as(app + " " + path).contains("# TYPE");
        }
    }

    // ---- helpers ------------------------------------------------------------------------

    private static Map<String, String> rawEnvironment(String service) {
        return services.at(service, "environment").strings();
    }

    /** The service's environment as compose would pass it with .env.example as the env file. */
    private static Map<String, String> environment(String service) {
        return rawEnvironment(service).entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> interpolate(e.getValue())));
    }

    private static String interpolate(String value) {
        Matcher matcher = VARIABLE.matcher(value);
        StringBuilder result = new StringBuilder();
        while (matcher.find()) {
            String fromFile = envExample.getProperty(matcher.group(1));
            boolean unset = fromFile == null || fromFile.isEmpty();
            String replacement = "-".equals(matcher.group(2)) && unset ? matcher.group(3) : fromFile;
            if (replacement == null) {
                throw new AssertionError(matcher.group(1) + " is neither defaulted nor in .env.example");
            }
            matcher.appendReplacement(result, Matcher.quoteReplacement(replacement));
        }
        matcher.appendTail(result);
        return result.toString();
    }

    /** The variable of a {@code ${NAME:?error}} value: compose refuses to start without it. */
    private static String requiredVariable(String value) {
        Matcher matcher = VARIABLE.matcher(value == null ? "" : value);
        assertThat(matcher.matches() && "?".equals(matcher.group(2))).as("a required ${NAME:?...}: " + value)
                .isTrue();
        return matcher.group(1);
    }
}
