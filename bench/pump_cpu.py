#!/usr/bin/env python3
"""bench/pump-cpu: client CPU time per job, pump mode against plain mode (standard library only).

Our client (bin/distcc: the native front-end and its resident agent JVM) compiles the same sources
through the stock distccd on 127.0.0.1 twice per round: to `127.0.0.1:P,lzo` (plain mode: the agent
runs the preprocessor here and sends the .i) and to `127.0.0.1:P,lzo,cpp` (pump mode: the agent
finds the headers and sends sources and headers; the server preprocesses). One agent serves both
modes (the same DISTCC_DIR), so both enjoy the same warm JVM.

Client CPU of one job = user+sys of the front-end process (RUSAGE_CHILDREN of this script around the
run) + the agent's CPU delta over the job, from /proc/<agent>/stat: utime+stime of the JVM and
cutime+cstime of the children it waited for (the preprocessor `gcc -E` with its cc1 in plain mode).
Jobs run one at a time, so the agent's delta belongs to the job. The server's CPU is not counted.

Projects: (1) `stl`: C++ sources, each with many standard headers and a few project headers;
(2) `libiberty`: GNU libiberty from /usr/src/binutils (as RealProjectBuildIT uses it), configured
here; the files that compile on this platform, with its Makefile's include options.
"""
import argparse
import os
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import glob

STL_HEADERS = ["vector", "map", "unordered_map", "string", "algorithm", "iostream", "sstream", "memory",
               "functional", "set", "deque", "list", "optional", "variant", "tuple", "numeric", "iomanip",
               "fstream", "chrono", "thread", "mutex", "regex"]


def log(*a):
    print(*a, flush=True)


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def stl_project(d, n):
    """n C++ files including many standard headers and a small project header tree."""
    write(f"{d}/include/proj/common.hpp", "#pragma once\n#include <string>\n#include <vector>\n"
          "#include \"proj/types.hpp\"\nnamespace proj { std::string name(int i); }\n")
    write(f"{d}/include/proj/types.hpp", "#pragma once\n#include <cstdint>\nnamespace proj { using id = std::uint64_t; }\n")
    write(f"{d}/src/detail.hpp", "#pragma once\n#include <proj/common.hpp>\n#define DETAIL_SCALE 3\n")
    files = []
    for i in range(n):
        inc = "".join(f"#include <{h}>\n" for h in STL_HEADERS)
        write(f"{d}/src/unit{i:02d}.cpp", inc + "#include \"detail.hpp\"\n"
              f"int unit{i}(int argc) {{ std::vector<std::string> v(argc, \"x\"); std::map<int, proj::id> m;\n"
              f"  for (int k = 0; k < argc; ++k) m[k] = k * DETAIL_SCALE;\n"
              f"  std::ostringstream o; o << v.size() << m.size(); return static_cast<int>(o.str().size()); }}\n")
        files.append(f"src/unit{i:02d}.cpp")
    return d, ["g++", "-std=c++17", "-O0", "-Iinclude"], files


def libiberty_project(d):
    tarballs = glob.glob("/usr/src/binutils/binutils-*.tar.xz")
    if not tarballs:
        log("libiberty: no /usr/src/binutils/binutils-*.tar.xz (Debian's binutils-source); skipped")
        return None
    top = os.path.basename(tarballs[0])[:-len(".tar.xz")]
    members = ["libiberty", "include", "config", "config.guess", "config.sub", "install-sh", "mkinstalldirs",
               "move-if-change", "ltmain.sh", "missing"]
    os.makedirs(d, exist_ok=True)
    subprocess.run(["tar", "-xJf", tarballs[0], "-C", d] + [f"{top}/{m}" for m in members], check=True, timeout=120)
    lib = f"{d}/{top}/libiberty"
    subprocess.run(["./configure", "-q"], cwd=lib, check=True, timeout=180, stdout=subprocess.DEVNULL,
                   env=dict(os.environ, CC="gcc", CFLAGS="-O2"))
    base = ["gcc", "-DHAVE_CONFIG_H", "-O2", "-I.", "-I./../include", "-W", "-Wall", "-D_GNU_SOURCE"]
    files = []
    for c in sorted(glob.glob(f"{lib}/*.c")):
        name = os.path.basename(c)
        r = subprocess.run(base + ["-fsyntax-only", name], cwd=lib, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, timeout=60)
        if r.returncode == 0:
            files.append(name)
    return lib, base, files


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def listening(port):
    want = f"0100007F:{port:04X}"
    with open("/proc/net/tcp") as f:
        return any(l.split()[1] == want and l.split()[3] == "0A" for l in f.readlines()[1:])


def agent_pid(distcc_dir):
    for p in os.listdir("/proc"):
        if not p.isdigit():
            continue
        try:
            with open(f"/proc/{p}/cmdline", "rb") as f:
                args = f.read().split(b"\0")
        except OSError:
            continue
        if b"org.jdistcc.client.agent.AgentMain" in args and os.path.join(distcc_dir, "agent").encode() in args:
            return int(p)
    return None


def proc_cpu(pid):
    """utime+stime+cutime+cstime of pid, in seconds."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return sum(int(x) for x in fields[11:15]) / os.sysconf("SC_CLK_TCK")


def children_cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def snapshot(root, work):
    """bin/, lib/, tools/ copied, so that a ./build meanwhile cannot change the client mid-run."""
    dest = f"{work}/jdistcc"
    for d in ("bin", "lib", "tools"):
        shutil.copytree(f"{root}/{d}", f"{dest}/{d}", symlinks=True)
    cmd = f"{dest}/lib/agent.cmd"
    with open(cmd) as f:
        lines = [l.replace(f"{root}/lib/", f"{dest}/lib/") for l in f]
    with open(cmd, "w") as f:
        f.writelines(lines)
    import hashlib
    h = hashlib.sha256(open(f"{dest}/lib/jdistcc-client.jar", "rb").read() + open(cmd, "rb").read())
    write(f"{dest}/lib/agent.build", h.hexdigest()[:16] + "\n")
    return dest


def run_job(distcc, cwd, env, argv, timeout):
    before = children_cpu()
    r = subprocess.run([distcc] + argv, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                       timeout=timeout)
    if r.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} failed ({r.returncode}): {r.stderr.decode(errors='replace')[-2000:]}")
    return children_cpu() - before


def measure(project, distcc, env_for, distcc_dir, rounds, warmup, timeout):
    cwd, base, files = project
    samples = {"plain": [], "pump": []}
    split = {"plain": [0.0, 0.0], "pump": [0.0, 0.0]}
    for rnd in range(warmup + rounds):
        for i, f in enumerate(files):
            order = ("plain", "pump") if (i + rnd) % 2 == 0 else ("pump", "plain")
            for mode in order:
                argv = base + ["-c", f, "-o", f"{os.path.splitext(os.path.basename(f))[0]}.{mode}.o"]
                pid = agent_pid(distcc_dir)
                agent_before = proc_cpu(pid) if pid else 0.0
                front = run_job(distcc, cwd, env_for(mode), argv, timeout)
                pid = pid or agent_pid(distcc_dir)
                agent = proc_cpu(pid) - agent_before if pid else 0.0
                if rnd >= warmup:
                    samples[mode].append((front + agent) * 1000)
                    split[mode][0] += front * 1000
                    split[mode][1] += agent * 1000
    return samples, split


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--root", required=True)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--warmup", type=int, default=1)
    ap.add_argument("--stl-files", type=int, default=12)
    ap.add_argument("--projects", default="stl,libiberty")
    ap.add_argument("--keep", action="store_true")
    a = ap.parse_args()
    work = tempfile.mkdtemp(prefix="jdistcc-pumpbench.", dir="/tmp")
    os.chmod(work, 0o755)
    daemon = None
    distcc_dir = f"{work}/distcc-dir"
    ok = False
    try:
        os.makedirs(distcc_dir)
        os.makedirs(f"{work}/tmp-distccd")
        os.chmod(f"{work}/tmp-distccd", 0o1777)
        os.makedirs(f"{work}/client-tmp")
        ours = snapshot(a.root, work)
        log(f"== jdistcc pump-cpu bench, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}")
        log(f"machine: {os.cpu_count()} cores, load {open('/proc/loadavg').read().split()[:3]}; "
            f"{subprocess.run(['gcc', '--version'], capture_output=True, text=True).stdout.splitlines()[0]}")
        rev = subprocess.run(["git", "-C", a.root, "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
        log(f"jdistcc: {rev.stdout.strip() or '?'}, client run from a snapshot in {work}/jdistcc")
        projects = []
        for name in a.projects.split(","):
            p = stl_project(f"{work}/stl", a.stl_files) if name == "stl" else libiberty_project(f"{work}/binutils")
            if p:
                projects.append((name, p))
                log(f"project {name}: {len(p[2])} files, compiled as: {' '.join(p[1])} -c FILE -o FILE.o")
        port = free_port()
        dlog = open(f"{work}/distccd.log", "w")
        daemon = subprocess.Popen(["/usr/bin/distccd", "--no-detach", "--log-stderr", "--log-level", "info",
                                   "--allow", "127.0.0.1", "--listen", "127.0.0.1", "--port", str(port),
                                   "--jobs", "2"], cwd=work, stdin=subprocess.DEVNULL, stdout=dlog, stderr=dlog,
                                  env={"PATH": "/usr/bin:/bin", "TMPDIR": f"{work}/tmp-distccd"},
                                  start_new_session=True)
        for _ in range(100):
            if listening(port):
                break
            time.sleep(0.1)
        else:
            raise RuntimeError("distccd did not listen")
        base_env = {"PATH": "/usr/local/bin:/usr/bin:/bin", "LC_ALL": "C", "HOME": work, "DISTCC_DIR": distcc_dir,
                    "TMPDIR": f"{work}/client-tmp", "DISTCC_FALLBACK": "0", "DISTCC_SKIP_LOCAL_RETRY": "1"}
        for k in ("JDISTCC_JAVA_HOME", "JAVA_HOME"):
            if k in os.environ:
                base_env[k] = os.environ[k]
        hosts = {"plain": f"127.0.0.1:{port},lzo", "pump": f"127.0.0.1:{port},lzo,cpp"}

        def env_for(mode):
            return dict(base_env, DISTCC_HOSTS=hosts[mode])

        log(f"distccd: stock, 127.0.0.1:{port}, --jobs 2; rounds {a.rounds} measured after {a.warmup} warm-up")
        log("")
        results = []
        pump_jobs = 0
        for name, p in projects:
            samples, split = measure(p, f"{ours}/bin/distcc", env_for, distcc_dir, a.rounds, a.warmup, 300)
            pump_jobs += len(p[2]) * (a.rounds + a.warmup)
            results.append((name, len(p[2]), samples, split))
        with open(f"{work}/distccd.log") as f:
            text = f.read()
        fixed = text.count("(dcc_fix_debug_info)")
        log("client CPU per job (ms): front-end + agent incl. its preprocessor children. The agent's CPU is")
        log("read in clock ticks (10 ms), so one job's figure is 0 or a multiple of 10 ms; the mean over")
        log("all jobs (total / jobs) is the figure to read, the median only shows the quantisation.")
        log(f"{'project':10} {'jobs':>5} {'plain mean':>10} {'pump mean':>9} {'ratio':>6} {'plain med':>9} "
            f"{'pump med':>8}  front-end plain/pump  agent plain/pump")
        summary = []
        for name, n, s, split in results:
            pm, qm = statistics.median(s["plain"]), statistics.median(s["pump"])
            pa, qa = statistics.mean(s["plain"]), statistics.mean(s["pump"])
            k = len(s["plain"])
            log(f"{name:10} {k:>5} {pa:10.1f} {qa:9.1f} {pa / qa:5.1f}x {pm:9.1f} {qm:8.1f}  "
                f"{split['plain'][0] / k:9.1f}/{split['pump'][0] / k:<9.1f}  "
                f"{split['plain'][1] / k:6.1f}/{split['pump'][1] / k:.1f}")
            summary.append(f"{name} plain {pa:.1f} ms, pump {qa:.1f} ms ({pa / qa:.1f}x less)")
        log("")
        log(f"checks: the server logged {fixed} protocol-3 jobs (dcc_fix_debug_info) for {pump_jobs} pump-mode "
            f"runs; {text.count('COMPILE_OK')} COMPILE_OK, {text.count('COMPILE_ERROR')} COMPILE_ERROR")
        ok = fixed == pump_jobs
        if not ok:
            log("!! some pump-mode jobs did not go in protocol 3 (plain mode fallback?)")
        log("SUMMARY: client CPU per job, mean: " + "; ".join(summary))
    finally:
        pid = agent_pid(distcc_dir) if os.path.isdir(distcc_dir) else None
        if pid:
            os.kill(pid, signal.SIGTERM)
        if daemon:
            try:
                os.killpg(daemon.pid, signal.SIGTERM)
                daemon.wait(10)
            except (OSError, subprocess.TimeoutExpired):
                os.killpg(daemon.pid, signal.SIGKILL)
        if a.keep or not ok:
            log(f"work directory kept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    sys.exit(main())
