package org.jdistcc.client.include;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Asks a compiler for its {@link CompilerDefaults}: the seam between include analysis and processes. */
interface CompilerProbe {

    /**
     * @param compiler the compiler as the command names it
     * @param options  the command's options that change the defaults ({@code -m32}, {@code --sysroot})
     * @param language {@code c} or {@code c++}
     * @throws IOException if the compiler cannot be run or does not list its directories
     */
    CompilerDefaults defaults(String compiler, List<String> options, String language, Path cwd, Map<String, String> env)
            throws IOException, InterruptedException;
}
