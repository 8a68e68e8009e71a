package io.minimq.broker.security;

import io.minimq.broker.BrokerProperties.Role;

/**
 * What a request needs when tokens are configured (HTTP-API.md, "Security"), decided from its
 * method and its decoded, normalised path. Decided by method first, so that an odd path can
 * only ever ask for more, never for less: every POST needs {@code produce}, every DELETE and
 * every PUT outside {@code /v1/groups/} needs {@code admin}.
 */
final class AccessRules {

    /** What a request needs: nothing, any known token, or a role. */
    enum Need { NOTHING, ANY_TOKEN, PRODUCE, CONSUME, ADMIN;

        Role role() {
            return switch (this) {
                case PRODUCE -> Role.PRODUCE;
                case CONSUME -> Role.CONSUME;
                case ADMIN -> Role.ADMIN;
                default -> null;
            };
        }
    }

    private final boolean protectMetrics;

    AccessRules(boolean protectMetrics) {
        this.protectMetrics = protectMetrics;
    }

    Need need(String method, String path) {
        if (path.startsWith("/actuator")) {
            return actuator(path);
        }
        if (!isApi(path)) {
            return Need.NOTHING;
        }
        return switch (method) {
            case "POST" -> Need.PRODUCE;
            case "DELETE" -> Need.ADMIN;
            case "PUT" -> path.startsWith("/v1/groups/") ? Need.CONSUME : Need.ADMIN;
            case "GET", "HEAD" -> isMetadataRead(path) ? Need.ANY_TOKEN : Need.CONSUME;
            default -> Need.ANY_TOKEN;
        };
    }

    private Need actuator(String path) {
        if (path.equals("/actuator/health") || path.startsWith("/actuator/health/")) {
            return Need.NOTHING;
        }
        if (path.equals("/actuator/prometheus")) {
            return protectMetrics ? Need.ADMIN : Need.NOTHING;
        }
        return Need.ADMIN;
    }

    private static boolean isApi(String path) {
        return path.startsWith("/v1/") || path.equals("/v1") || path.equals("/produce") || path.equals("/consume")
                || path.equals("/nodes");
    }

    /** The topic list, one topic's stats, and the node list: readable with any known token. */
    private static boolean isMetadataRead(String path) {
        if (path.equals("/v1/topics") || path.equals("/nodes")) {
            return true;
        }
        return path.startsWith("/v1/topics/") && path.indexOf('/', "/v1/topics/".length()) < 0;
    }
}
