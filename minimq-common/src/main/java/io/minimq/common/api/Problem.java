package io.minimq.common.api;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An RFC 9457 problem detail as the broker sends it ({@code application/problem+json}):
 * {@code {"type", "title", "status", "detail"}} plus extension members such as
 * {@code startOffset} and {@code endOffset}.
 */
@JsonPropertyOrder({"type", "title", "status", "detail"})
public final class Problem {

    public static final String MEDIA_TYPE = "application/problem+json";

    private final String type;
    private final String title;
    private final int status;
    private final String detail;
    private final Map<String, Object> extensions = new LinkedHashMap<>();

    public Problem(String type, String title, int status, String detail) {
        this.type = type == null ? "about:blank" : type;
        this.title = title;
        this.status = status;
        this.detail = detail;
    }

    /** Jackson's way in: the four standard members; extensions arrive through {@link #put}. */
    @com.fasterxml.jackson.annotation.JsonCreator
    static Problem fromJson(@com.fasterxml.jackson.annotation.JsonProperty("type") String type,
            @com.fasterxml.jackson.annotation.JsonProperty("title") String title,
            @com.fasterxml.jackson.annotation.JsonProperty("status") int status,
            @com.fasterxml.jackson.annotation.JsonProperty("detail") String detail) {
        return new Problem(type, title, status, detail);
    }

    public String getType() {
        return type;
    }

    public String getTitle() {
        return title;
    }

    public int getStatus() {
        return status;
    }

    public String getDetail() {
        return detail;
    }

    /** Adds an extension member and returns this problem. */
    @JsonAnySetter
    public Problem put(String name, Object value) {
        extensions.put(name, value);
        return this;
    }

    @JsonAnyGetter
    public Map<String, Object> getExtensions() {
        return extensions;
    }

    @JsonIgnore
    public Object extension(String name) {
        return extensions.get(name);
    }

    @Override
    public String toString() {
        return "Problem[" + status + " " + title + ": " + detail + " " + extensions + "]";
    }
}
