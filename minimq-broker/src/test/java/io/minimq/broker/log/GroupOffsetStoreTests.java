package io.minimq.broker.log;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GroupOffsetStoreTests {

    @TempDir
    Path dir;

    private Path file() {
        return dir.resolve(GroupOffsetStore.DIR).resolve("offsets.log");
    }

    @Test
    void theFileIsCompactedOnOpenToOneEntryPerGroupAndTopic() throws IOException {
        try (GroupOffsetStore store = new GroupOffsetStore(dir, false)) {
            for (int i = 0; i < 1000; i++) {
                store.commit("g", "t", i);
            }
            store.commit("g", "u", 5);
            store.commit("h", "t", 7);
        }
        long before = Files.size(file());
        try (GroupOffsetStore store = new GroupOffsetStore(dir, false)) {
            assertThat(store.committed("g")).isEqualTo(Map.of("t", 999L, "u", 5L));
            assertThat(store.committed("h", "t")).hasValue(7);
        }
        assertThat(Files.size(file())).isLessThan(before / 100);
    }

    @Test
    void aTornOrCorruptTailIsDroppedAndEarlierCommitsKept() throws IOException {
        try (GroupOffsetStore store = new GroupOffsetStore(dir, true)) {
            store.commit("g", "t", 1);
            store.commit("g", "u", 2);
        }
        Files.write(file(), new byte[] {0, 0, 0, 30, 1, 2, 3}, StandardOpenOption.APPEND); // a torn entry
        try (GroupOffsetStore store = new GroupOffsetStore(dir, true)) {
            assertThat(store.committed("g")).isEqualTo(Map.of("t", 1L, "u", 2L));
            store.commit("g", "t", 3);
        }
        byte[] bytes = Files.readAllBytes(file());
        bytes[bytes.length - 1] ^= 1; // the last entry's offset rots: its CRC no longer matches
        Files.write(file(), bytes);
        try (GroupOffsetStore store = new GroupOffsetStore(dir, true)) {
            // the damaged commit of t=3 is dropped; what the compaction had written is intact
            assertThat(store.committed("g")).isEqualTo(Map.of("t", 1L, "u", 2L));
        }
    }

    @Test
    void deletingATopicForgetsItsOffsetsDurably() throws IOException {
        try (GroupOffsetStore store = new GroupOffsetStore(dir, false)) {
            store.commit("g", "t", 1);
            store.commit("g", "u", 2);
            store.deleteTopic("t");
            assertThat(store.committed("g")).isEqualTo(Map.of("u", 2L));
            assertThatThrownBy(() -> store.commit("g", "t", -1)).isInstanceOf(IllegalArgumentException.class);
        }
        try (GroupOffsetStore store = new GroupOffsetStore(dir, false)) {
            assertThat(store.committed("g")).isEqualTo(Map.of("u", 2L));
            assertThat(store.committed("nobody")).isEmpty();
        }
    }
}
