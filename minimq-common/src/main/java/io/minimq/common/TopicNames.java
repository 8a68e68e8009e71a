package io.minimq.common;

/**
 * The naming rule for topics and consumer groups (HTTP-API.md, "Names and limits"):
 * {@code ^[A-Za-z0-9._-]{1,249}$}, not {@code .} or {@code ..}; names starting with {@code __}
 * are reserved for the broker's internal topics.
 *
 * <p>A name that passes {@link #validate} is safe to use as a single path element: it has no
 * separator, no NUL, no escape and is never a relative step.
 */
public final class TopicNames {

    public static final int MAX_LENGTH = 249;
    public static final String INTERNAL_PREFIX = "__";

    private TopicNames() {
    }

    /** Returns the name when it is a valid public topic or group name, else throws. */
    public static String validate(String name) {
        String problem = problem(name, false);
        if (problem != null) {
            throw new InvalidNameException(problem);
        }
        return name;
    }

    /** Like {@link #validate} but also accepts the broker's reserved {@code __} names. */
    public static String validateInternal(String name) {
        String problem = problem(name, true);
        if (problem != null) {
            throw new InvalidNameException(problem);
        }
        return name;
    }

    public static boolean isValid(String name) {
        return problem(name, false) == null;
    }

    public static boolean isInternal(String name) {
        return name != null && name.startsWith(INTERNAL_PREFIX);
    }

    private static String problem(String name, boolean allowInternal) {
        if (name == null || name.isEmpty()) {
            return "name must not be empty";
        }
        if (name.length() > MAX_LENGTH) {
            return "name is " + name.length() + " characters long, the limit is " + MAX_LENGTH;
        }
        for (int i = 0; i < name.length(); i++) {
            if (!allowed(name.charAt(i))) {
                return "name '" + printable(name) + "' has a character outside [A-Za-z0-9._-] at index " + i;
            }
        }
        if (name.equals(".") || name.equals("..")) {
            return "name '" + name + "' is not allowed";
        }
        if (!allowInternal && isInternal(name)) {
            return "name '" + name + "' starts with '" + INTERNAL_PREFIX + "', which is reserved for internal topics";
        }
        return null;
    }

    private static boolean allowed(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '.' || c == '_' || c == '-';
    }

    /** The name with control and non-ASCII characters escaped, safe to put in an error message. */
    static String printable(String name) {
        StringBuilder out = new StringBuilder(Math.min(name.length(), 64) + 8);
        for (int i = 0; i < name.length() && i < 64; i++) {
            char c = name.charAt(i);
            if (c >= 0x20 && c < 0x7f) {
                out.append(c);
            } else {
                out.append(String.format("\\u%04x", (int) c));
            }
        }
        if (name.length() > 64) {
            out.append("...");
        }
        return out.toString();
    }
}
