package org.jdistcc.client.schedule;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jdistcc.testing.FakeClock;

/**
 * A {@link Pause} that never sleeps: it records each requested pause, moves the fake clock on by it,
 * and runs an optional action before returning (to free a slot "while waiting").
 */
final class RecordingPause implements Pause {

    interface Action {
        void run(int pauseNumber) throws Exception;
    }

    private final FakeClock clock;
    private final List<Duration> pauses = new ArrayList<>();
    private Action action = n -> { };

    RecordingPause(FakeClock clock) {
        this.clock = clock;
    }

    RecordingPause onPause(Action action) {
        this.action = action;
        return this;
    }

    List<Duration> pauses() {
        return List.copyOf(pauses);
    }

    @Override
    public void pause(Duration atMost) {
        pauses.add(atMost);
        clock.advance(atMost);
        try {
            action.run(pauses.size());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
