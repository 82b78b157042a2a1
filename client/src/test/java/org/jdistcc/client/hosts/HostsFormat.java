package org.jdistcc.client.hosts;

import java.util.ArrayList;
import java.util.List;

/** Renders a host list the way distcc's test helper {@code h_hosts} prints it. */
final class HostsFormat {
    private HostsFormat() {
    }

    /** The host count, then one line per host: {@code %4d LOCAL}, {@code %4d TCP ...}, {@code %4d SSH ...}. */
    static List<String> lines(HostList list) {
        List<String> out = new ArrayList<>();
        out.add(Integer.toString(list.hosts().size()));
        for (HostSpec host : list.hosts()) {
            out.add(line(host));
        }
        return out;
    }

    static String line(HostSpec host) {
        return switch (host) {
            case HostSpec.Local l -> "%4d LOCAL".formatted(l.slots());
            case HostSpec.Tcp t -> "%4d TCP %s %d".formatted(t.slots(), t.host(), t.port());
            case HostSpec.Ssh s -> "%4d SSH %s %s %s".formatted(s.slots(), s.user().orElse("(no-user)"), s.host(),
                    s.command().orElse("(no-command)"));
        };
    }
}
