/**
 * Choosing a host for a job and holding one of its slots, on the same files stock distcc uses, so
 * Java and C clients of one user on one machine share slots and backoff.
 *
 * <ul>
 *   <li>{@link org.jdistcc.client.schedule.HostPicker}: the policy, a pure function from the host
 *       list, the backed-off hosts and the hosts that failed this job to the slots to try, slot
 *       index first and host order second ({@code where.c}).</li>
 *   <li>{@link org.jdistcc.client.schedule.SlotLocks}: slot lock files
 *       {@code <DISTCC_DIR>/lock/cpu_<lockName>_<i>}, fcntl write locks ({@code lock.c}).</li>
 *   <li>{@link org.jdistcc.client.schedule.Backoff}: backoff marks
 *       {@code backoff_<lockName>_0}, judged by mtime ({@code backoff.c}).</li>
 *   <li>{@link org.jdistcc.client.schedule.SlotWaiter}: the loop that puts them together and waits,
 *       boundedly, through a {@link org.jdistcc.client.schedule.Pause}.</li>
 *   <li>{@link org.jdistcc.client.schedule.LocalSlots}: the local machine's slots and defaults.</li>
 * </ul>
 *
 * <p>A caller maps each host spec to a {@link org.jdistcc.client.schedule.Target}, and for each
 * attempt of a job:
 * <ol>
 *   <li>calls {@code SlotWaiter.acquire(targets, failedSoFar, ioTimeout)};</li>
 *   <li>on {@code Acquired}, runs the job on that host while holding the slot (remote jobs until the
 *       reply has been read), taking a local cpp slot with {@code acquireLocal(localslotsCpp, ...)}
 *       only after the remote slot and closing it first;</li>
 *   <li>on a distribution failure: {@code Backoff.mark}, add the lock name to {@code failedSoFar},
 *       close the slot and go back to 1; on success, {@code Backoff.clear};</li>
 *   <li>on {@code NoHost} or {@code TimedOut} (or an {@code IOException} from the lock
 *       directory), falls back to a local compile under {@code acquireLocal(localslots, ...)} unless
 *       {@code DISTCC_FALLBACK=0}.</li>
 * </ol>
 * Time comes from an injected {@link java.time.Clock}; nothing here reads the environment except the
 * static parsers that take it as a map.
 */
package org.jdistcc.client.schedule;
