package org.jdistcc.client.hosts;

/**
 * A syntax check for the text between the brackets of {@code [addr]}: eight groups of up to four
 * hex digits, one {@code ::} standing for at least one zero group, an optional dotted IPv4 tail
 * counting as two groups, and an optional {@code %zone} of letters, digits, {@code .}, {@code _}
 * and {@code -}. Purely textual: nothing is resolved, and the connector's resolver has the last
 * word on what the address means.
 */
final class Ipv6Literal {
    private static final int GROUPS = 8;

    private Ipv6Literal() {
    }

    static boolean isValid(String text) {
        int percent = text.indexOf('%');
        if (percent >= 0 && !isZone(text.substring(percent + 1))) {
            return false;
        }
        String address = percent >= 0 ? text.substring(0, percent) : text;
        int gap = address.indexOf("::");
        if (gap < 0) {
            return groupCount(address) == GROUPS;
        }
        if (address.indexOf("::", gap + 1) >= 0) {
            return false;
        }
        String head = address.substring(0, gap);
        String tail = address.substring(gap + 2);
        int headGroups = head.isEmpty() ? 0 : groupCount(head);
        int tailGroups = tail.isEmpty() ? 0 : groupCount(tail);
        if (headGroups < 0 || tailGroups < 0 || head.contains(".")) {
            return false;
        }
        return headGroups + tailGroups < GROUPS;
    }

    /** Groups in a {@code ::}-free run like {@code 1:2:3} or {@code 1:1.2.3.4}, or -1 if malformed. */
    private static int groupCount(String run) {
        String[] parts = run.split(":", -1);
        int groups = 0;
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            if (i == parts.length - 1 && part.contains(".")) {
                if (!isIpv4(part)) {
                    return -1;
                }
                groups += 2;
            } else if (isHexGroup(part)) {
                groups++;
            } else {
                return -1;
            }
        }
        return groups;
    }

    private static boolean isHexGroup(String part) {
        if (part.isEmpty() || part.length() > 4) {
            return false;
        }
        for (int i = 0; i < part.length(); i++) {
            if (Character.digit(part.charAt(i), 16) < 0 || part.charAt(i) > 'f') {
                return false;
            }
        }
        return true;
    }

    private static boolean isIpv4(String part) {
        String[] octets = part.split("\\.", -1);
        if (octets.length != 4) {
            return false;
        }
        for (String octet : octets) {
            if (octet.isEmpty() || octet.length() > 3 || !octet.chars().allMatch(c -> c >= '0' && c <= '9')
                    || Integer.parseInt(octet) > 255) {
                return false;
            }
        }
        return true;
    }

    private static boolean isZone(String zone) {
        return !zone.isEmpty() && zone.chars().allMatch(c -> c < 0x80
                && (Character.isLetterOrDigit(c) || c == '.' || c == '_' || c == '-'));
    }
}
