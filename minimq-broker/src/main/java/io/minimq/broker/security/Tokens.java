package io.minimq.broker.security;

import io.minimq.broker.BrokerProperties.Role;
import io.minimq.broker.BrokerProperties.TokenGrant;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The configured bearer tokens, kept only as SHA-256 hashes. A presented token is hashed and
 * compared with every known hash by {@link MessageDigest#isEqual} (constant time), and the
 * loop never stops early, so the answer time says nothing about how close a guess was.
 * Immutable and thread-safe.
 */
final class Tokens {

    /** A known token: its position in the configuration (the client's name) and its roles. */
    record Grant(int index, Set<Role> roles) {

        boolean allows(Role role) {
            return roles.contains(Role.ADMIN) || roles.contains(role);
        }

        String clientId() {
            return "token-" + index;
        }
    }

    private final List<byte[]> hashes;
    private final List<Grant> grants;

    Tokens(List<TokenGrant> configured) {
        this.hashes = configured.stream().map(grant -> sha256(grant.token())).toList();
        this.grants = java.util.stream.IntStream.range(0, configured.size())
                .mapToObj(i -> new Grant(i, roles(configured.get(i).roles())))
                .toList();
    }

    boolean isEmpty() {
        return grants.isEmpty();
    }

    int size() {
        return grants.size();
    }

    /** The grant of a presented token, or null when it is unknown. */
    Grant find(String presented) {
        byte[] hash = sha256(presented);
        Grant found = null;
        for (int i = 0; i < hashes.size(); i++) {
            if (MessageDigest.isEqual(hashes.get(i), hash) && found == null) {
                found = grants.get(i);
            }
        }
        return found;
    }

    private static Set<Role> roles(List<Role> roles) {
        return roles.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(roles));
    }

    private static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
