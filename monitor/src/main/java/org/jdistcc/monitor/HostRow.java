package org.jdistcc.monitor;

/**
 * One host of the live view.
 *
 * @param label     how the host list spells it ({@code 10.0.0.5:3632/8,lzo}), or its name when it only
 *                  appears in a state file
 * @param name      the name state files use for it ({@code 10.0.0.5}, {@code localhost})
 * @param slots     its slots by the host list, or 0 when it is not in the list
 * @param backedOff whether it is backed off after a recent failure
 * @param down      whether the host list marks it {@code ,down}
 */
public record HostRow(String label, String name, int slots, boolean backedOff, boolean down) {
}
