package org.jdistcc.server.job;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Set;

/**
 * The pump-mode fix of an object's debug information ({@code fix_debug_info.c}): every occurrence
 * of the job's fake root in the debug string sections is overwritten with a run of {@code /} of the
 * same length, so {@code /tmp/distccd_AbC123/home/u/src} reads {@code ///////////////////home/u/src},
 * which names the client's directory and keeps every offset and size in the file as it was.
 *
 * <p>The sections are found through the ELF section headers (32 and 64 bit, either byte order);
 * inside them the replacement is a plain byte search, as distcc's. distcc 3.4 rewrites
 * {@code .debug_info} and {@code .debug_str} only; gcc 12's DWARF 5 keeps the compilation directory
 * and file names in {@code .debug_line_str}, where 3.4 leaves the server's temp path, so this also
 * rewrites {@code .debug_line_str} (as distcc's master branch does) and {@code .debug_line} (DWARF 4
 * keeps its directory table there). Anything that is not a well-formed ELF file, and compressed
 * debug sections ({@code -gz}), are left as they are. Pure: bytes in, bytes changed in place.
 */
final class DebugPaths {
    private static final Set<String> SECTIONS = Set.of(".debug_info", ".debug_str", ".debug_line_str", ".debug_line");
    private static final int SHT_NOBITS = 8;
    private static final long SHF_COMPRESSED = 0x800;
    private static final int SHN_XINDEX = 0xffff;

    private DebugPaths() {
    }

    /**
     * Replaces {@code root} with slashes in the debug sections of {@code object}, in place.
     *
     * @return how many occurrences were replaced
     */
    static int rewrite(byte[] object, String root) {
        byte[] search = root.getBytes(StandardCharsets.UTF_8);
        if (search.length == 0) {
            return 0;
        }
        try {
            return rewriteElf(object, search);
        } catch (IndexOutOfBoundsException | IllegalArgumentException malformed) {
            // a truncated or inconsistent header: not an object we can safely edit
            return 0;
        }
    }

    private static int rewriteElf(byte[] object, byte[] search) {
        if (object.length < 52 || object[0] != 0x7f || object[1] != 'E' || object[2] != 'L' || object[3] != 'F') {
            return 0;
        }
        boolean wide = object[4] == 2;
        if (object[4] != 1 && !wide || object[5] != 1 && object[5] != 2) {
            return 0;
        }
        ByteBuffer elf = ByteBuffer.wrap(object).order(object[5] == 1 ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
        long shoff = wide ? elf.getLong(0x28) : Integer.toUnsignedLong(elf.getInt(0x20));
        int shentsize = Short.toUnsignedInt(elf.getShort(wide ? 0x3a : 0x2e));
        int shnum = Short.toUnsignedInt(elf.getShort(wide ? 0x3c : 0x30));
        int shstrndx = Short.toUnsignedInt(elf.getShort(wide ? 0x3e : 0x32));
        if (shoff <= 0 || shoff >= object.length || shentsize < (wide ? 64 : 40)) {
            return 0;
        }
        Section first = section(elf, wide, (int) shoff);
        if (shnum == 0) {
            shnum = (int) Math.min(first.size(), object.length / shentsize);
        }
        if (shstrndx == SHN_XINDEX) {
            shstrndx = first.link();
        }
        if (shstrndx >= shnum) {
            return 0;
        }
        Section names = section(elf, wide, Math.toIntExact(shoff + (long) shstrndx * shentsize));
        int count = 0;
        for (int i = 0; i < shnum; i++) {
            Section s = section(elf, wide, Math.toIntExact(shoff + (long) i * shentsize));
            if (s.type() == SHT_NOBITS || (s.flags() & SHF_COMPRESSED) != 0
                    || !SECTIONS.contains(name(object, names.offset() + s.name()))) {
                continue;
            }
            if (s.offset() < 0 || s.size() < 0 || s.offset() + s.size() > object.length) {
                continue;
            }
            count += replace(object, (int) s.offset(), (int) (s.offset() + s.size()), search);
        }
        return count;
    }

    private record Section(long name, int type, long flags, long offset, long size, int link) {
    }

    private static Section section(ByteBuffer elf, boolean wide, int at) {
        if (wide) {
            return new Section(Integer.toUnsignedLong(elf.getInt(at)), elf.getInt(at + 4), elf.getLong(at + 8),
                    elf.getLong(at + 0x18), elf.getLong(at + 0x20), elf.getInt(at + 0x28));
        }
        return new Section(Integer.toUnsignedLong(elf.getInt(at)), elf.getInt(at + 4),
                Integer.toUnsignedLong(elf.getInt(at + 8)), Integer.toUnsignedLong(elf.getInt(at + 0x10)),
                Integer.toUnsignedLong(elf.getInt(at + 0x14)), elf.getInt(at + 0x18));
    }

    /** The NUL-terminated section name at {@code at}, or "" past the end. */
    private static String name(byte[] object, long at) {
        if (at < 0 || at >= object.length) {
            return "";
        }
        int end = (int) at;
        while (end < object.length && object[end] != 0 && end - at < 64) {
            end++;
        }
        return new String(object, (int) at, end - (int) at, StandardCharsets.US_ASCII);
    }

    /** Overwrites every occurrence of {@code search} in {@code [from, to)} with slashes. */
    static int replace(byte[] bytes, int from, int to, byte[] search) {
        int count = 0;
        outer:
        for (int i = from; i + search.length <= to; i++) {
            for (int j = 0; j < search.length; j++) {
                if (bytes[i + j] != search[j]) {
                    continue outer;
                }
            }
            Arrays.fill(bytes, i, i + search.length, (byte) '/');
            count++;
            i += search.length - 1;
        }
        return count;
    }
}
