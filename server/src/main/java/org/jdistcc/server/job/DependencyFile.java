package org.jdistcc.server.job;

import java.nio.charset.StandardCharsets;

/**
 * The pump-mode rewrite of the {@code .d} file gcc wrote on the server ({@code dcc_cleanup_dotd}),
 * line by line: the first occurrence of the server's temp output name becomes the client's
 * dependency target, then every occurrence of the fake root is removed, so
 * {@code /tmp/distccd_AbC123/home/u/src/inc/x.h} reads {@code /home/u/src/inc/x.h} again. Bytes are
 * kept as they are (ISO-8859-1 maps each byte to one char), so names in any encoding survive. Pure.
 */
final class DependencyFile {
    private DependencyFile() {
    }

    /**
     * @param dotd         what gcc wrote
     * @param root         the fake root, as given to gcc
     * @param serverOutput the temp output name given to gcc with {@code -o}
     * @param target       the client's target: its first {@code -MT} value, else its output name
     */
    static byte[] rewrite(byte[] dotd, String root, String serverOutput, String target) {
        String text = new String(dotd, StandardCharsets.ISO_8859_1);
        String rootBytes = bytes(root);
        String output = bytes(serverOutput);
        String client = bytes(target);
        StringBuilder out = new StringBuilder(text.length());
        int start = 0;
        while (start < text.length()) {
            int nl = text.indexOf('\n', start);
            int end = nl < 0 ? text.length() : nl + 1;
            String line = text.substring(start, end);
            int at = line.indexOf(output);
            if (at >= 0) {
                line = line.substring(0, at) + client + line.substring(at + output.length());
            }
            if (!rootBytes.isEmpty()) {
                line = line.replace(rootBytes, "");
            }
            out.append(line);
            start = end;
        }
        return out.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** {@code s} as its UTF-8 bytes, one char per byte. */
    private static String bytes(String s) {
        return new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }
}
