package org.jdistcc.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.jdistcc.client.hosts.HostSpec;
import org.jdistcc.client.transport.Connection;
import org.jdistcc.client.transport.Connector;
import org.jdistcc.protocol.ExitCode;
import org.jdistcc.protocol.ProtocolVersion;
import org.jdistcc.protocol.Request;
import org.jdistcc.protocol.RequestWriter;
import org.jdistcc.protocol.Response;
import org.jdistcc.protocol.ResponseWriter;
import org.jdistcc.testing.OneByteInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * One remote attempt, over a {@link ScriptedConnector} that replays a server's bytes: every way it
 * can end is classified once, as an answer or as a distribution failure, never as an exception.
 */
class RemoteJobTest {
    private static final List<String> ARGV = List.of("gcc", "-c", "x.c", "-o", "x.o");
    private static final byte[] SOURCE = "int x;\n".getBytes(StandardCharsets.US_ASCII);

    /** A connector whose one connection reads {@code reply} (one byte at a time) and records what is sent. */
    static final class ScriptedConnector implements Connector {
        private final byte[] reply;
        private final IOException failure;
        final ByteArrayOutputStream sent = new ByteArrayOutputStream();
        boolean closed;

        ScriptedConnector(byte[] reply) {
            this.reply = reply;
            this.failure = null;
        }

        ScriptedConnector(IOException failure) {
            this.reply = new byte[0];
            this.failure = failure;
        }

        @Override
        public Connection connect(HostSpec host) throws IOException {
            if (failure != null) {
                throw failure;
            }
            InputStream in = OneByteInputStream.of(reply);
            return new Connection() {
                @Override
                public InputStream in() {
                    return in;
                }

                @Override
                public OutputStream out() {
                    return sent;
                }

                @Override
                public String peer() {
                    return host.token();
                }

                @Override
                public void close() {
                    closed = true;
                }
            };
        }
    }

    /** A connection that fails with {@code failure} on the first read, after the request was sent. */
    private static Connector failingOnRead(IOException failure) {
        return host -> new Connection() {
            @Override
            public InputStream in() {
                return new InputStream() {
                    @Override
                    public int read() throws IOException {
                        throw failure;
                    }
                };
            }

            @Override
            public OutputStream out() {
                return OutputStream.nullOutputStream();
            }

            @Override
            public String peer() {
                return host.token();
            }

            @Override
            public void close() {
            }
        };
    }

    private static byte[] reply(Response r) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new ResponseWriter(out).write(r);
        return out.toByteArray();
    }

    private static Response success(ProtocolVersion v) {
        return new Response(v, 0, "warn\n".getBytes(StandardCharsets.UTF_8), new byte[0], new byte[] {1, 2, 3}, null);
    }

    private static Attempt attempt(Connector c, ProtocolVersion v) {
        return new RemoteJob(c).run(new HostSpec.Tcp("h", 3632, 4, HostSpec.Options.NONE, "h"), v, ARGV, SOURCE);
    }

    @ParameterizedTest
    @EnumSource(value = ProtocolVersion.class, names = {"V1", "V2"})
    void answerIsReadOneByteAtATimeAndTheRequestIsSentWhole(ProtocolVersion v) throws IOException {
        ScriptedConnector c = new ScriptedConnector(reply(success(v)));

        Attempt a = attempt(c, v);

        assertThat(a).isInstanceOfSatisfying(Attempt.Answered.class, answered -> {
            assertThat(answered.response().waitStatus()).isZero();
            assertThat(answered.response().object()).containsExactly(1, 2, 3);
            assertThat(answered.response().stderr()).asString(StandardCharsets.UTF_8).isEqualTo("warn\n");
        });
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        new RequestWriter(expected).write(new Request.Plain(v, ARGV, SOURCE));
        assertThat(c.sent.toByteArray()).isEqualTo(expected.toByteArray());
        assertThat(c.closed).isTrue();
    }

    @Test
    void compileErrorIsAnAnswerNotAFailure() throws IOException {
        Response error = new Response(ProtocolVersion.V1, 1 << 8, "x.c:1: error\n".getBytes(StandardCharsets.UTF_8),
                new byte[0], new byte[0], null);

        Attempt a = attempt(new ScriptedConnector(reply(error)), ProtocolVersion.V1);

        assertThat(a).isInstanceOfSatisfying(Attempt.Answered.class,
                answered -> assertThat(answered.response().waitStatus()).isEqualTo(256));
    }

    @ParameterizedTest
    @EnumSource(value = ProtocolVersion.class, names = {"V1", "V2"})
    void everyTruncationOfTheAnswerIsADistributionFailure(ProtocolVersion v) throws IOException {
        byte[] whole = reply(success(v));
        for (int n = 0; n < whole.length; n++) {
            Attempt a = attempt(new ScriptedConnector(Arrays.copyOf(whole, n)), v);

            int cut = n;
            assertThat(a).as("answer cut after %d of %d bytes", n, whole.length)
                    .isInstanceOfSatisfying(Attempt.DistributionFailed.class, f -> {
                        assertThat(f.code()).isIn(ExitCode.TRUNCATED, ExitCode.PROTOCOL_ERROR);
                        assertThat(f.reason()).contains(cut == 0 ? "server provided no answer" : "mid-reply");
                    });
        }
    }

    @Test
    void derailedTokenIsAProtocolError() {
        byte[] wrong = "DONX00000001STAT00000000".getBytes(StandardCharsets.US_ASCII);

        Attempt a = attempt(new ScriptedConnector(wrong), ProtocolVersion.V1);

        // the context after the header is what had arrived already: none, one byte at a time
        assertThat(a).isInstanceOfSatisfying(Attempt.DistributionFailed.class, f -> {
            assertThat(f.code()).isEqualTo(ExitCode.PROTOCOL_ERROR);
            assertThat(f.reason()).startsWith("protocol derailment: expected DONE, got \"DONX00000001");
        });
    }

    @Test
    void answerInAnotherVersionIsAProtocolError() throws IOException {
        Attempt a = attempt(new ScriptedConnector(reply(success(ProtocolVersion.V2))), ProtocolVersion.V1);

        assertThat(a).isInstanceOfSatisfying(Attempt.DistributionFailed.class, f -> {
            assertThat(f.code()).isEqualTo(ExitCode.PROTOCOL_ERROR);
            assertThat(f.reason()).contains("DONE").contains("version 2");
        });
    }

    @Test
    void refusedConnectionIsAConnectFailure() {
        Attempt a = attempt(new ScriptedConnector(new ConnectException("Connection refused")), ProtocolVersion.V1);

        assertThat(a).isEqualTo(new Attempt.DistributionFailed(ExitCode.CONNECT_FAILED,
                "connect failed: Connection refused"));
    }

    @Test
    void unknownHostIsAConnectFailureNamingTheHost() {
        Attempt a = attempt(new ScriptedConnector(new UnknownHostException("nowhere.invalid")), ProtocolVersion.V1);

        assertThat(a).isEqualTo(new Attempt.DistributionFailed(ExitCode.CONNECT_FAILED,
                "unknown host nowhere.invalid"));
    }

    @Test
    void readTimeoutIsAnIoErrorThatSaysItTimedOut() {
        Attempt a = attempt(failingOnRead(new SocketTimeoutException("Read timed out")), ProtocolVersion.V1);

        assertThat(a).isEqualTo(new Attempt.DistributionFailed(ExitCode.IO_ERROR, "timed out: Read timed out"));
    }

    @Test
    void resetBeforeAnyAnswerIsAServerThatGaveNoAnswer() {
        // what a refusing distccd looks like: it closes the connection without reading the request
        Attempt a = attempt(failingOnRead(new SocketException("Connection reset")), ProtocolVersion.V1);

        assertThat(a).isInstanceOfSatisfying(Attempt.DistributionFailed.class, f -> {
            assertThat(f.code()).isEqualTo(ExitCode.IO_ERROR);
            assertThat(f.reason()).startsWith("server provided no answer (Connection reset)")
                    .contains("allow access");
        });
    }

    @Test
    void otherIoFailuresKeepTheirMessage() {
        Attempt a = attempt(failingOnRead(new IOException("No buffer space available")), ProtocolVersion.V1);

        assertThat(a).isEqualTo(new Attempt.DistributionFailed(ExitCode.IO_ERROR, "No buffer space available"));
    }
}
