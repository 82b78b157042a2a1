package org.jdistcc.it.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** What objcopy tells about an object file: its code without debug sections, which debug sections name a path. */
public final class ObjectFiles {
    private ObjectFiles() {
    }

    /** The object without its debug sections ({@code objcopy --strip-debug}). */
    public static byte[] withoutDebugInformation(Path dir, String object) throws IOException {
        return objcopy(dir, object + ".stripped", "--strip-debug", object, object + ".stripped");
    }

    /** Which of the debug sections that name paths hold {@code text}. */
    public static List<String> debugSectionsContaining(Path dir, String object, String text) throws IOException {
        List<String> found = new ArrayList<>();
        for (String name : List.of(".debug_info", ".debug_str", ".debug_line", ".debug_line_str")) {
            String file = object + name + ".bin";
            byte[] bytes = objcopy(dir, file, "--dump-section", name + "=" + file, object);
            if (new String(bytes, StandardCharsets.ISO_8859_1).contains(text)) {
                found.add(name);
            }
        }
        return found;
    }

    private static byte[] objcopy(Path dir, String output, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("objcopy"));
        command.addAll(List.of(args));
        ProcessResult r = Processes.run(command, dir, Processes.baseEnvironment(dir));
        assertThat(r.exitCode()).as(r.describe()).isZero();
        return Files.readAllBytes(dir.resolve(output));
    }
}
