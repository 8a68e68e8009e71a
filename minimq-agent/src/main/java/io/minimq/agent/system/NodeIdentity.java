package io.minimq.agent.system;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;

/**
 * The name this agent's records are keyed by: {@code minimq.agent.node-name} when set, else the
 * environment variable {@code NODE_NAME} (the Kubernetes downward API's {@code spec.nodeName}),
 * else the host name.
 */
public record NodeIdentity(String name) {

    public NodeIdentity {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("node name must not be blank: '" + name + "'");
        }
    }

    /** Resolves the name from the configured value, the environment, then the host name. */
    public static NodeIdentity resolve(String configured, Map<String, String> env) {
        if (configured != null && !configured.isBlank()) {
            return new NodeIdentity(configured.strip());
        }
        String fromEnv = env.get("NODE_NAME");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return new NodeIdentity(fromEnv.strip());
        }
        return new NodeIdentity(hostName());
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            String env = System.getenv("HOSTNAME");
            return env != null && !env.isBlank() ? env : "localhost";
        }
    }
}
