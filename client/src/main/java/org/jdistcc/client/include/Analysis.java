package org.jdistcc.client.include;

import java.util.List;
import org.jdistcc.protocol.IncludedFile;

/** The answer of include analysis for one compile: the files to send, or plain mode and why. */
public sealed interface Analysis {
    /** The empty file sent to make a directory exist on the server (the include server's name for it). */
    String FORCING_FILE = Mirror.FORCING_FILE;

    /** Whether {@code link} is the link from the server's root back to one of its system directories. */
    static boolean systemDirectory(IncludedFile.Link link) {
        return link.target().startsWith("../".repeat(Mirror.UP_TO_ROOT));
    }

    /**
     * The files and links the server needs (NAME entries of a v3 request), the source first.
     *
     * @param files every FILE and LINK entry, absolute names, each once
     */
    record Files(List<IncludedFile> files) implements Analysis {
        public Files {
            files = List.copyOf(files);
        }
    }

    /**
     * Include analysis cannot be sure; the job goes in plain mode.
     *
     * @param kind   a short fixed phrase, what is counted ("computed include", "CPATH set")
     * @param detail the particulars, for the log line
     */
    record PlainMode(String kind, String detail) implements Analysis {
        public String message() {
            return kind + ": " + detail;
        }
    }
}
