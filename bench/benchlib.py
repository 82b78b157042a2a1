"""What bench/client-latency and bench/server-latency share: the small and C++ test sources, the
protocols, /proc/net's view of a listening port, results.json, number formatting and the helper
subcommands freeports and waitlisten. Imported by the scripts from their own directory."""
import json
import os
import socket
import sys
import time

SMALL_C = '#include <stdio.h>\nint main(void)\n{\n    puts("hello, world");\n    return 0;\n}\n'

HEAVY_CPP = r'''#include <vector>
#include <map>
#include <string>
#include <algorithm>
#include <iostream>

int main(int argc, char **argv)
{
    std::vector<std::string> args(argv, argv + argc);
    std::sort(args.begin(), args.end());
    std::map<std::string, int> count;
    for (const auto &a : args) ++count[a];
    for (const auto &[k, v] : count) std::cout << k << ' ' << v << '\n';
    return 0;
}
'''

PROTOCOLS = [("plain", ""), ("lzo", ",lzo")]


def listening(port):
    want = f"{port:04X}"
    for path in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(path) as f:
                next(f)
                for line in f:
                    parts = line.split()
                    if parts[1].rsplit(":", 1)[1] == want and parts[3] == "0A":
                        return True
        except OSError:
            pass
    return False


def load(work):
    p = os.path.join(work, "results.json")
    if os.path.exists(p):
        with open(p) as f:
            return json.load(f)
    return {}


def save(work, res):
    p = os.path.join(work, "results.json")
    with open(p + ".tmp", "w") as f:
        json.dump(res, f, indent=1)
    os.replace(p + ".tmp", p)


def fmt(x, w=8, d=1):
    return f"{x:{w}.{d}f}" if x is not None else " " * (w - 1) + "-"


def cmd_freeports(a):
    socks, ports = [], []
    for _ in range(a.n):
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        socks.append(s)
        ports.append(s.getsockname()[1])
    for s in socks:
        s.close()
    print(" ".join(map(str, ports)))


def wait_listening(a, alive):
    """Waits for a.pid to listen on a.port, at most a.seconds; 1 if it exits first or the time is up."""
    deadline = time.monotonic() + a.seconds
    while time.monotonic() < deadline:
        if not alive(a.pid):
            print(f"process {a.pid} exited before listening on {a.port}", file=sys.stderr)
            return 1
        if listening(a.port):
            return 0
        time.sleep(0.05)
    print(f"port {a.port} not listening after {a.seconds} s", file=sys.stderr)
    return 1
