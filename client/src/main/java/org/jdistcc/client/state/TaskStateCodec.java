package org.jdistcc.client.state;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * The state file's bytes: distcc 3.4's {@code struct dcc_task_state} as the stock x86-64 client
 * writes it (checked with a hexdump of {@code /usr/bin/distcc}'s own file; reference §6), native
 * little-endian, 296 bytes:
 *
 * <pre>
 *   0  size_t  struct_size   296
 *   8  ulong   magic         0x44494800 ("DIH\0")
 *  16  ulong   cpid          client process id
 *  24  char[128] file        input base name, NUL-terminated
 * 152  char[128] host        host name, NUL-terminated
 * 280  int     slot
 * 284  enum    curr_phase
 * 288  ptr     next          0 in the file (a list link in the monitor's memory)
 * </pre>
 *
 * Pure: bytes in, bytes out.
 */
public final class TaskStateCodec {
    /** Size of the struct, and of the file. */
    public static final int SIZE = 296;
    /** {@code DCC_STATE_MAGIC}. */
    public static final long MAGIC = 0x44494800L;
    /** Bytes of each name field, the terminating NUL included. */
    static final int NAME_BYTES = 128;
    private static final int FILE_OFFSET = 24;
    private static final int HOST_OFFSET = FILE_OFFSET + NAME_BYTES;
    private static final int SLOT_OFFSET = HOST_OFFSET + NAME_BYTES;

    private TaskStateCodec() {
    }

    /** The file's content for {@code state}; names longer than 127 bytes are cut, as strlcpy does. */
    public static byte[] encode(TaskState state) {
        ByteBuffer b = ByteBuffer.allocate(SIZE).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(0, SIZE);
        b.putLong(8, MAGIC);
        b.putLong(16, state.pid());
        putName(b, FILE_OFFSET, state.file());
        putName(b, HOST_OFFSET, state.host());
        b.putInt(SLOT_OFFSET, state.slot());
        b.putInt(SLOT_OFFSET + 4, state.phase().code());
        return b.array();
    }

    /**
     * The state these bytes hold; empty for anything a stock monitor would skip: a wrong length, size
     * field or magic (a short read of a file being rewritten, another ABI), or a phase 3.4 does not
     * define.
     */
    public static Optional<TaskState> decode(byte[] bytes) {
        if (bytes.length != SIZE) {
            return Optional.empty();
        }
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (b.getLong(0) != SIZE || b.getLong(8) != MAGIC) {
            return Optional.empty();
        }
        return Phase.ofCode(b.getInt(SLOT_OFFSET + 4)).map(phase -> new TaskState(b.getLong(16),
                getName(bytes, FILE_OFFSET), getName(bytes, HOST_OFFSET), b.getInt(SLOT_OFFSET), phase));
    }

    private static void putName(ByteBuffer b, int offset, String name) {
        byte[] raw = name.getBytes(StandardCharsets.UTF_8);
        b.put(offset, raw, 0, Math.min(raw.length, NAME_BYTES - 1));
    }

    private static String getName(byte[] bytes, int offset) {
        int end = offset;
        while (end < offset + NAME_BYTES && bytes[end] != 0) {
            end++;
        }
        return new String(Arrays.copyOfRange(bytes, offset, end), StandardCharsets.UTF_8);
    }
}
