package org.jdistcc.client.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jdistcc.protocol.PacketWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class FrontEndRunTest {
    private final ByteArrayOutputStream sent = new ByteArrayOutputStream();
    private final BlockingQueue<Long> statuses = new ArrayBlockingQueue<>(4);
    private final FrontEndRun run = new FrontEndRun(new PacketWriter(sent), statuses);

    private String sent() {
        synchronized (sent) {
            return sent.toString(StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    void thePreprocessorGoesWithItsOutputFileAndTheAnswerIsItsWaitStatus() throws Exception {
        statuses.put(0L);

        int status = run.runInto(Path.of("/tmp/distcc_1.i"), List.of("gcc", "-E", "x.c"), Map.of("PATH", "/usr/bin"));

        assertThat(status).isZero();
        assertThat(sent()).startsWith("LOUT0000000f/tmp/distcc_1.iLOCL00000000ARGC00000003ARGV00000003gcc");
    }

    @Test
    void aLocalCompileGoesWithoutAnOutputFile() throws Exception {
        statuses.put(1L << 8);

        assertThat(run.run(List.of("gcc", "-c", "x.c"), Map.of())).isEqualTo(1 << 8);
        assertThat(sent()).startsWith("LOCL00000000").doesNotContain("LOUT");
    }

    @Test
    void aCallerInterruptedWhileItsCommandRunsStillTakesThatCommandsStatusNotTheNextOnes() throws Exception {
        CompletableFuture<Throwable> preprocessor = new CompletableFuture<>();
        Thread cpp = Thread.ofVirtual().start(() -> {
            try {
                run.runInto(Path.of("/tmp/distcc_2.i"), List.of("gcc", "-E", "x.c"), Map.of());
                preprocessor.complete(null);
            } catch (Exception e) {
                preprocessor.complete(e);
            }
        });
        while (!sent().contains("LOCL")) {
            Thread.sleep(5);
        }
        cpp.interrupt();   // the job ended first: say, it falls back to a local compile
        CompletableFuture<Integer> compile = CompletableFuture.supplyAsync(() -> {
            try {
                return run.run(List.of("gcc", "-c", "x.c"), Map.of());
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        statuses.put(0L);          // the preprocessor's status, which the front-end sends first
        statuses.put(1L << 8);     // then the compile's

        assertThat(preprocessor.get(10, TimeUnit.SECONDS)).isInstanceOf(InterruptedException.class);
        assertThat(compile.get(10, TimeUnit.SECONDS)).isEqualTo(1 << 8);
        assertThat(sent().indexOf("LOCL", sent().indexOf("LOCL") + 4)).as("the second command went out")
                .isPositive();
    }

    @Test
    void aFrontEndThatWentAwayIsAnError() throws Exception {
        statuses.put(-1L);

        assertThatThrownBy(() -> run.run(List.of("gcc"), Map.of()))
                .isInstanceOf(IOException.class).hasMessageContaining("went away");
    }
}
