package org.jdistcc.client.include;

import java.util.List;

/**
 * What a compiler brings to every compile before the command's own options: its default include
 * directories (the end of the bracket chain, in order) and its predefined macros.
 */
record CompilerDefaults(List<java.nio.file.Path> systemDirs, List<Directive.Define> macros) {
    CompilerDefaults {
        systemDirs = List.copyOf(systemDirs);
        macros = List.copyOf(macros);
    }
}
