package org.jdistcc.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class WatchdogTest {
    @Test
    @Timeout(30)
    void aReadThatWaitsPastTheTimeoutRunsTheExpiryWhichUnblocksIt() throws IOException {
        PipedOutputStream writer = new PipedOutputStream();
        PipedInputStream silent = new PipedInputStream(writer);
        AtomicInteger expiries = new AtomicInteger();
        InputStream in = new Watchdog(Duration.ofMillis(200)).guard(silent, () -> {
            expiries.incrementAndGet();
            try {
                writer.close(); // what closing the connection does to a reader: end of stream
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        });

        assertThat(in.read(new byte[8], 0, 8)).isEqualTo(-1);
        assertThat(expiries).hasValue(1);
    }

    @Test
    void readsAndWritesThatReturnLeaveNothingArmedAndNoExpiry() throws IOException {
        AtomicInteger expiries = new AtomicInteger();
        Watchdog watchdog = new Watchdog(Duration.ofSeconds(60));
        int before = Watchdog.armed();
        InputStream in = watchdog.guard(new ByteArrayInputStream(new byte[100]), expiries::incrementAndGet);
        OutputStream out = watchdog.guard(new ByteArrayOutputStream(), expiries::incrementAndGet);

        for (int i = 0; i < 10; i++) {
            assertThat(in.read(new byte[10], 0, 10)).isEqualTo(10);
            out.write(new byte[10], 0, 10);
            out.flush();
        }
        assertThat(in.read()).isEqualTo(-1);

        assertThat(Watchdog.armed()).isEqualTo(before);
        assertThat(expiries).hasValue(0);
    }

    @Test
    @Timeout(30)
    void anExpiryThatThrowsDoesNotStopTheOthers() throws IOException {
        InputStream failing = new Watchdog(Duration.ofMillis(100)).guard(new PipedInputStream(new PipedOutputStream()),
                () -> {
                    throw new IllegalStateException("already closed");
                });
        Thread blocked = Thread.ofVirtual().start(() -> {
            try {
                failing.read();
            } catch (IOException ignored) {
                // interrupted at the end of the test
            }
        });
        PipedOutputStream writer = new PipedOutputStream();
        InputStream in = new Watchdog(Duration.ofMillis(300)).guard(new PipedInputStream(writer), () -> {
            try {
                writer.close();
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        });

        assertThat(in.read()).isEqualTo(-1);
        blocked.interrupt();
    }

    @Test
    void aWriteThatFailsDisarmsItsAlarm() {
        int before = Watchdog.armed();
        OutputStream out = new Watchdog(Duration.ofSeconds(60)).guard(new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("broken pipe");
            }
        }, () -> { });

        assertThatThrownBy(() -> out.write(new byte[1], 0, 1)).isInstanceOf(IOException.class);
        assertThat(Watchdog.armed()).isEqualTo(before);
    }
}
