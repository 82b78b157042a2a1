package org.jdistcc.client.schedule;

import java.util.Objects;

/**
 * One host of the host list as scheduling sees it: the name its lock and backoff files carry, how
 * many jobs it may run at once, and whether the host list marked it {@code ,down}.
 *
 * <p>{@code lockName} is the middle of distcc's file names: {@code localhost},
 * {@code tcp_<host>_<port>} or {@code ssh_<host>}, so slot {@code i} is the file
 * {@code cpu_<lockName>_<i>} and the backoff mark is {@code backoff_<lockName>_0}. Two targets with
 * the same lock name share slots and backoff, exactly as two stock clients do. The caller maps its
 * host spec to a target and keeps the spec next to it; this package never needs more.
 *
 * @param lockName the host's part of the lock file names; not empty, no {@code '/'} or NUL
 * @param slots how many jobs may run on the host at once; {@code 0} or less means none
 * @param down whether the host spec says {@code ,down}
 */
public record Target(String lockName, int slots, boolean down) {

    public Target {
        checkLockName(lockName);
    }

    /** A target that is not down. */
    public static Target of(String lockName, int slots) {
        return new Target(lockName, slots, false);
    }

    /** Rejects names that would not make one plain file name inside the lock directory. */
    static String checkLockName(String lockName) {
        Objects.requireNonNull(lockName, "lockName");
        if (lockName.isEmpty() || lockName.indexOf('/') >= 0 || lockName.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("not a usable lock name: '" + lockName + "'");
        }
        return lockName;
    }
}
