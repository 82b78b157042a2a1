package org.jdistcc.compiler;

/**
 * The GNU host triple distcc was "configured" for, e.g. {@code x86_64-pc-linux-gnu}: printed by
 * {@code --version}, appended as clang's {@code -target}, and, with "-pc-" dropped, the prefix of the
 * cross-compiler names gcc installs ({@code x86_64-linux-gnu-gcc}).
 */
public final class GnuHost {
    private GnuHost() {
    }

    /** The triple of the machine this JVM runs on. */
    public static String triple() {
        return triple(System.getProperty("os.arch"));
    }

    static String triple(String osArch) {
        return switch (osArch) {
            case "amd64", "x86_64" -> "x86_64-pc-linux-gnu";
            case "x86", "i386", "i686" -> "i686-pc-linux-gnu";
            case "aarch64", "arm64" -> "aarch64-unknown-linux-gnu";
            default -> osArch + "-unknown-linux-gnu";
        };
    }

    /** The prefix of gcc's own cross names: the triple without "-pc" or "-unknown" (x86_64-linux-gnu). */
    public static String gccPrefix() {
        return triple().replace("-pc-", "-").replace("-unknown-", "-");
    }
}
