#!/usr/bin/env python3
"""Helper for bench/server-latency (standard library only).

Subcommands (all called by bench/server-latency; not meant to be run by hand):
  freeports N                        print N free TCP ports on 127.0.0.1
  waitlisten PID PORT SECONDS        wait until PORT is in LISTEN state and PID is alive
  sources DIR                        write the benchmark and burst sources into DIR
  latency --work W --ours-pid ... --stock-pid ... --ours-port P1 --stock-port P2 ...
  burst --work W --kind ours|stock --pid PID --port P --jobs N --lang c|cpp
  summary --work W                   print the final table/summary from W/results.json

Measurements are stored in W/results.json so that the final summary can combine phases.
"""
import argparse
import math
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time

from benchlib import HEAVY_CPP, PROTOCOLS, SMALL_C, cmd_freeports, fmt, load, save, wait_listening

DISTCC = "/usr/bin/distcc"


HEAVY_C = r'''#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int cmp(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int main(int argc, char **argv)
{
    char **copy = calloc((size_t)argc, sizeof *copy);
    if (!copy) return EXIT_FAILURE;
    for (int i = 0; i < argc; i++) copy[i] = strdup(argv[i]);
    qsort(copy, (size_t)argc, sizeof *copy, cmp);
    for (int i = 0; i < argc; i++) { printf("%d %s\n", i, copy[i]); free(copy[i]); }
    free(copy);
    return EXIT_SUCCESS;
}
'''


# name, file, compiler, local compiler
SOURCES = [
    ("small.c", "gcc"),
    ("heavy.c", "gcc"),
    ("heavy.cpp", "g++"),
]


def burst_source(i, lang):
    """distinct burst sources: a small C file, or a header-heavy C++ file (~1 MB preprocessed)"""
    if lang == "c":
        return (f'#include <stdio.h>\n#include <stdlib.h>\n#include <string.h>\n\n'
                f'int burst_{i:02d}(const char *s)\n{{\n'
                f'    char buf[64];\n    snprintf(buf, sizeof buf, "%s-{i}", s);\n'
                f'    return (int)strlen(buf) * {i + 1} + atoi(s);\n}}\n')
    return (f'#include <vector>\n#include <map>\n#include <string>\n#include <algorithm>\n'
            f'#include <iostream>\n\n'
            f'int burst_{i:02d}(const std::vector<std::string> &in)\n{{\n'
            f'    std::vector<std::string> v(in);\n    std::sort(v.begin(), v.end());\n'
            f'    std::map<std::string, int> m;\n    for (const auto &s : v) m[s] += {i + 1};\n'
            f'    std::cout << m.size() << "\\n";\n    return (int)m.size() * {i + 1};\n}}\n')


# ---------------------------------------------------------------- /proc helpers

def proc_stat(pid):
    """(comm, ppid) of pid, or None."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            data = f.read()
    except OSError:
        return None
    rp = data.rfind(")")
    comm = data[data.find("(") + 1:rp]
    fields = data[rp + 2:].split()
    return comm, int(fields[1])


def vmrss_kib(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return 0  # zombie / kernel thread


def proc_table():
    """{pid: (comm, ppid)} for every process"""
    table = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            st = proc_stat(int(name))
            if st:
                table[int(name)] = st
    return table


def children(pid, table=None):
    table = table if table is not None else proc_table()
    return [(c, comm) for c, (comm, ppid) in table.items() if ppid == pid]


def compilers_under(pid, table):
    """number of compiler back-ends (cc1, cc1plus) running anywhere below pid"""
    kids = {}
    for c, (comm, ppid) in table.items():
        kids.setdefault(ppid, []).append(c)
    n, todo = 0, list(kids.get(pid, []))
    while todo:
        c = todo.pop()
        if table[c][0] in ("cc1", "cc1plus"):
            n += 1
        todo.extend(kids.get(c, []))
    return n


def exe(pid):
    try:
        return os.readlink(f"/proc/{pid}/exe")
    except OSError:
        return "?"


def daemon_rss(kind, pid, table=None):
    """(MiB, number of processes counted).

    ours:  the JVM process only (compilers it runs are not counted).
    stock: the distccd parent plus its direct children named distccd (the pre-forked workers;
           compilers they run are grandchildren and not counted)."""
    rss = vmrss_kib(pid)
    if rss is None:
        return None, 0
    n = 1
    if kind == "stock":
        for cpid, comm in children(pid, table):
            if comm == "distccd":
                r = vmrss_kib(cpid)
                if r:
                    rss += r
                    n += 1
    return rss / 1024.0, n


def alive(pid):
    st = proc_stat(pid)
    if st is None:
        return False
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("State:"):
                    return "Z" not in line.split()[1]
    except OSError:
        return False
    return True


# ---------------------------------------------------------------- results file


# ---------------------------------------------------------------- client runs

def client_env(work, port, proto_suffix):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DISTCC_")}
    env["DISTCC_HOSTS"] = f"127.0.0.1:{port}{proto_suffix}"
    env["DISTCC_FALLBACK"] = "0"
    env["DISTCC_DIR"] = tempfile.mkdtemp(prefix="dd-", dir=os.path.join(work, "distcc-dirs"))
    env["TMPDIR"] = os.path.join(work, "client-tmp")
    return env


def run_one(work, cmd, env, obj, timeout):
    """Runs one compile; returns (ok, ms, detail). Timing covers only the subprocess."""
    try:
        os.unlink(obj)
    except FileNotFoundError:
        pass
    t0 = time.perf_counter()
    try:
        p = subprocess.run(cmd, cwd=os.path.join(work, "src"), env=env, stdin=subprocess.DEVNULL,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout)
        ms = (time.perf_counter() - t0) * 1000.0
        rc, err = p.returncode, p.stderr.decode(errors="replace")
    except subprocess.TimeoutExpired as e:
        ms = (time.perf_counter() - t0) * 1000.0
        rc, err = "timeout", (e.stderr or b"").decode(errors="replace")
    ok = rc == 0 and os.path.isfile(obj) and os.path.getsize(obj) > 0
    detail = "" if ok else f"exit {rc}, object {'present' if os.path.isfile(obj) else 'missing'}: {err.strip()[-600:]}"
    if "DISTCC_DIR" in env:
        shutil.rmtree(env["DISTCC_DIR"], ignore_errors=True)
    return ok, ms, detail


def p90(xs):
    """nearest-rank 90th percentile"""
    s = sorted(xs)
    return s[max(0, math.ceil(0.9 * len(s)) - 1)]


# ---------------------------------------------------------------- subcommands


def cmd_waitlisten(a):
    return wait_listening(a, alive)


def cmd_sources(a):
    os.makedirs(a.dir, exist_ok=True)
    for name, text in (("small.c", SMALL_C), ("heavy.c", HEAVY_C), ("heavy.cpp", HEAVY_CPP)):
        with open(os.path.join(a.dir, name), "w") as f:
            f.write(text)
    for i in range(50):
        for lang, ext in (("c", "c"), ("cpp", "cpp")):
            with open(os.path.join(a.dir, f"burst_{i:02d}.{ext}"), "w") as f:
                f.write(burst_source(i, lang))


def cmd_latency(a):
    work = a.work
    servers = [("ours", a.ours_pid, a.ours_port), ("stock", a.stock_pid, a.stock_port)]
    res = load(work)
    failures = []

    def job(kind, port, src, cc, proto, suffix):
        obj = os.path.join(work, "src", f"{kind}-{src}-{proto}.o")
        env = client_env(work, port, suffix)
        ok, ms, detail = run_one(work, [DISTCC, cc, "-c", src, "-o", obj], env, obj, a.timeout)
        if not ok:
            failures.append(f"{kind} {src} {proto}: {detail}")
        return ok, ms

    # warm-up: every source and protocol a few times on each server, interleaved, not timed
    t0 = time.monotonic()
    for _ in range(a.warmup):
        for src, cc in SOURCES:
            for proto, suffix in PROTOCOLS:
                for kind, pid, port in servers:
                    job(kind, port, src, cc, proto, suffix)
    warm_s = time.monotonic() - t0
    nwarm = a.warmup * len(SOURCES) * len(PROTOCOLS)
    print(f"warm-up: {nwarm} jobs per server in {warm_s:.1f} s, {len(failures)} failed")
    for f in failures[:5]:
        print("  FAILED", f)

    time.sleep(1.0)
    idle = {kind: daemon_rss(kind, pid) for kind, pid, _ in servers}
    res["idle_rss_after_warmup"] = {k: {"mib": v[0], "procs": v[1]} for k, v in idle.items()}
    res["jvm_exe"] = exe(a.ours_pid)

    # measured rounds: for every (source, protocol): ours, stock, ours, stock, ...
    samples = {}  # (src, proto, kind) -> [ms]
    local = {}    # src -> [ms]
    fails_before = len(failures)
    t0 = time.monotonic()
    rounds_done = 0
    for r in range(a.rounds):
        if time.monotonic() - t0 > a.budget:
            print(f"time budget of {a.budget} s used up after {r} rounds; stopping early")
            break
        for src, cc in SOURCES:
            for proto, suffix in PROTOCOLS:
                for kind, pid, port in servers:
                    ok, ms = job(kind, port, src, cc, proto, suffix)
                    if ok:
                        samples.setdefault((src, proto, kind), []).append(ms)
            # local baseline (no distcc at all), for context
            obj = os.path.join(work, "src", f"local-{src}.o")
            ok, ms, detail = run_one(work, [cc, "-c", src, "-o", obj],
                                     {k: v for k, v in os.environ.items() if not k.startswith("DISTCC_")},
                                     obj, a.timeout)
            if ok:
                local.setdefault(src, []).append(ms)
            else:
                failures.append(f"local {src}: {detail}")
        rounds_done = r + 1
    meas_s = time.monotonic() - t0
    time.sleep(1.0)
    idle2 = {kind: daemon_rss(kind, pid) for kind, pid, _ in servers}
    res["idle_rss_after_rounds"] = {k: {"mib": v[0], "procs": v[1]} for k, v in idle2.items()}

    # identical objects from both servers (no -g: they must be byte-identical)
    identical = {}
    for src, _ in SOURCES:
        for proto, _s in PROTOCOLS:
            paths = [os.path.join(work, "src", f"{k}-{src}-{proto}.o") for k in ("ours", "stock")]
            if all(os.path.isfile(p) for p in paths):
                with open(paths[0], "rb") as f0, open(paths[1], "rb") as f1:
                    identical[f"{src} {proto}"] = f0.read() == f1.read()
            else:
                identical[f"{src} {proto}"] = None

    rows = []
    for src, _ in SOURCES:
        for proto, _s in PROTOCOLS:
            o = samples.get((src, proto, "ours"), [])
            s = samples.get((src, proto, "stock"), [])
            row = {"source": src, "protocol": proto, "n_ours": len(o), "n_stock": len(s),
                   "median_ours": statistics.median(o) if o else None,
                   "median_stock": statistics.median(s) if s else None,
                   "p90_ours": p90(o) if o else None, "p90_stock": p90(s) if s else None,
                   "median_local": statistics.median(local[src]) if local.get(src) else None,
                   "identical": identical[f"{src} {proto}"]}
            row["ratio"] = (row["median_ours"] / row["median_stock"]
                            if o and s and row["median_stock"] else None)
            row["p90_ratio"] = (row["p90_ours"] / row["p90_stock"] if o and s and row["p90_stock"] else None)
            rows.append(row)
    res["latency"] = {"rows": rows, "rounds": rounds_done, "warmup_rounds": a.warmup,
                      "failures": failures, "measure_seconds": meas_s,
                      "failed_measured": len(failures) - fails_before}
    save(work, res)

    print(f"measured: {rounds_done} interleaved rounds in {meas_s:.1f} s, "
          f"{len(failures) - fails_before} failed runs")
    print()
    print_latency_table(res)
    print()
    print_idle(res)
    return 0 if not failures else 1


def print_latency_table(res):
    lat = res["latency"]
    print(f"Per-job wall time of `/usr/bin/distcc <cc> -c SRC -o OBJ` (ms; median and nearest-rank p90 "
          f"over {lat['rounds']} interleaved rounds; local = plain `<cc> -c`, no distcc):")
    hdr = (f"{'source':<10} {'proto':<5} {'n':>5} {'ours med':>9} {'stock med':>9} {'ratio':>6} "
           f"{'ours p90':>9} {'stock p90':>9} {'ratio':>6} {'local med':>9} {'same .o':>7}")
    print(hdr)
    print("-" * len(hdr))
    for r in lat["rows"]:
        n = f"{r['n_ours']}/{r['n_stock']}"
        same = {True: "yes", False: "NO", None: "-"}[r["identical"]]
        print(f"{r['source']:<10} {r['protocol']:<5} {n:>5} {fmt(r['median_ours'], 9)} "
              f"{fmt(r['median_stock'], 9)} {fmt(r['ratio'], 6, 2)} {fmt(r['p90_ours'], 9)} "
              f"{fmt(r['p90_stock'], 9)} {fmt(r['p90_ratio'], 6, 2)} {fmt(r['median_local'], 9)} {same:>7}")
    if lat["failures"]:
        print(f"\n{len(lat['failures'])} FAILED client runs (DISTCC_FALLBACK=0), first ones:")
        for f in lat["failures"][:8]:
            print("  ", f)


def print_idle(res):
    print("Idle RSS (VmRSS, MiB), --jobs 4 instances. ours = the JVM process; stock = distccd parent "
          "+ its pre-forked distccd children (compilers not counted):")
    for label, key in (("after warm-up", "idle_rss_after_warmup"),
                       ("after measured rounds", "idle_rss_after_rounds")):
        d = res.get(key)
        if not d:
            continue
        o, s = d["ours"], d["stock"]
        print(f"  {label:<22} ours {fmt(o['mib'], 7)}   stock {fmt(s['mib'], 7)} "
              f"({s['procs']} processes: 1 parent + {s['procs'] - 1} children)")


def cmd_burst(a):
    work = a.work
    res = load(work)
    n = a.n
    cc, ext = ("gcc", "c") if a.lang == "c" else ("g++", "cpp")
    if not alive(a.pid):
        res.setdefault("burst", {}).setdefault(f"{a.lang}/{a.kind}", []).append({
            "n": n, "ok": 0, "wall_s": 0.0, "median_end_s": None, "idle_mib": None, "idle_procs": 0,
            "peak_mib": 0.0, "peak_procs": 0, "samples": 0, "max_compilers": 0,
            "failures": ["server not running"], "jobs": a.jobs, "alive_after": False})
        save(work, res)
        print(f"burst {a.lang:<3} {a.kind:<5}: SKIPPED, server (pid {a.pid}) is not running")
        return 1
    idle_mib, idle_procs = daemon_rss(a.kind, a.pid)
    peak = {"mib": idle_mib or 0.0, "procs": idle_procs, "compilers": 0}
    samples = [0]
    stop = threading.Event()

    def sampler():
        while not stop.is_set():
            table = proc_table()
            mib, procs = daemon_rss(a.kind, a.pid, table)
            peak["compilers"] = max(peak["compilers"], compilers_under(a.pid, table))
            samples[0] += 1
            if mib is not None and mib > peak["mib"]:
                peak["mib"], peak["procs"] = mib, procs
            stop.wait(a.interval)

    th = threading.Thread(target=sampler, daemon=True)
    th.start()
    srcdir = os.path.join(work, "src")
    errdir = tempfile.mkdtemp(prefix=f"burst-{a.lang}-{a.kind}-", dir=os.path.join(work, "logs"))
    procs = []
    t0 = time.perf_counter()
    try:
        for i in range(n):
            src = f"burst_{i:02d}.{ext}"
            obj = os.path.join(srcdir, f"burst-{a.kind}-{i:02d}-{ext}.o")
            try:
                os.unlink(obj)
            except FileNotFoundError:
                pass
            env = client_env(work, a.port, "")
            errf = open(os.path.join(errdir, f"{i:02d}.err"), "w+b")
            p = subprocess.Popen([DISTCC, cc, "-c", src, "-o", obj], cwd=srcdir, env=env,
                                 stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=errf)
            procs.append({"p": p, "obj": obj, "dir": env["DISTCC_DIR"], "err": errf, "end": None})
        deadline = time.monotonic() + a.timeout
        pending = list(procs)
        while pending and time.monotonic() < deadline:
            for x in list(pending):
                if x["p"].poll() is not None:
                    x["end"] = time.perf_counter() - t0
                    pending.remove(x)
            time.sleep(0.01)
        for x in pending:  # over the time limit
            x["p"].kill()
            x["p"].wait()
    finally:  # also on TERM: no client outlives the burst
        for x in procs:
            if x["p"].poll() is None:
                x["p"].kill()
                x["p"].wait()
    wall = time.perf_counter() - t0
    stop.set()
    th.join()
    fails = []
    for x in procs:
        rc = x["p"].returncode if x["end"] is not None else "timeout"
        x["ok"] = rc == 0 and os.path.isfile(x["obj"]) and os.path.getsize(x["obj"]) > 0
        if not x["ok"]:
            x["err"].seek(0)
            fails.append(f"exit {rc}: {x['err'].read().decode(errors='replace').strip()[-400:]}")
        x["err"].close()
        shutil.rmtree(x["dir"], ignore_errors=True)
    ok_n = sum(1 for x in procs if x["ok"])
    ends = sorted(x["end"] for x in procs if x["end"] is not None)
    is_alive = alive(a.pid)
    res.setdefault("burst", {}).setdefault(f"{a.lang}/{a.kind}", []).append({
        "n": n, "ok": ok_n, "wall_s": wall, "median_end_s": statistics.median(ends) if ends else None,
        "idle_mib": idle_mib, "idle_procs": idle_procs,
        "peak_mib": peak["mib"], "peak_procs": peak["procs"], "samples": samples[0],
        "max_compilers": peak["compilers"],
        "failures": fails[:5], "jobs": a.jobs, "alive_after": is_alive})
    save(work, res)
    print(f"burst {a.lang:<3} {a.kind:<5}: {ok_n}/{n} succeeded, wall {wall:.2f} s, RSS idle {fmt(idle_mib, 1)} MiB "
          f"-> peak {peak['mib']:.1f} MiB ({samples[0]} samples every {int(a.interval * 1000)} ms), "
          f"at most {peak['compilers']} cc1/cc1plus at once under it, "
          f"server {'alive' if is_alive else 'GONE'} afterwards")
    for f in fails[:5]:
        print("   FAILED", f)
    return 0 if ok_n == n and is_alive else 1


def cmd_summary(a):
    res = load(a.work)
    b = res.get("burst", {})

    def agg(runs):
        return {"ok": sum(r["ok"] for r in runs), "n": sum(r["n"] for r in runs),
                "walls": [r["wall_s"] for r in runs], "medians": [r["median_end_s"] for r in runs],
                "idle": runs[0]["idle_mib"], "peak": max(r["peak_mib"] for r in runs),
                "procs": max(r["peak_procs"] for r in runs),
                "cc1": max(r.get("max_compilers", 0) for r in runs),
                "alive": all(r["alive_after"] for r in runs)}

    if b:
        nruns = max(len(v) for v in b.values())
        print(f"Bursts of 50 concurrent stock-client jobs (50 distinct sources each, DISTCC_FALLBACK=0, "
              f"each client its own DISTCC_DIR), servers with --jobs 2, RSS sampled every 50 ms, "
              f"{nruns} bursts per server and kind in the order ours, stock, stock, ours:")
        print(f"  {'burst':<22} {'server':<6} {'succeeded':>13} {'wall s':>11} {'median done s':>13} "
              f"{'idle MiB':>8} {'peak MiB':>8} {'procs@peak':>10} {'max cc1':>7}")
        for lang, label in (("c", "small C (gcc)"), ("cpp", "heavy C++ (g++)")):
            for k in ("ours", "stock"):
                if f"{lang}/{k}" not in b:
                    continue
                x = agg(b[f"{lang}/{k}"])
                oks = ", ".join(f"{r['ok']}/{r['n']}" for r in b[f"{lang}/{k}"])
                walls = " / ".join(f"{w:.1f}" for w in x["walls"])
                meds = " / ".join(f"{m:.1f}" for m in x["medians"] if m is not None)
                print(f"  {label:<22} {k:<6} {oks:>13} {walls:>11} {meds:>13} {fmt(x['idle'], 8)} "
                      f"{fmt(x['peak'], 8)} {x['procs']:>10} {x['cc1']:>7}")
        print("  (ours = JVM process only; stock = parent + pre-forked distccd children; compiler "
              "processes are counted for neither. wall and 'median done' (median time from burst start "
              "to a client's exit) per burst; idle = RSS before the first burst of that kind; peak = "
              "highest sample over the bursts; 'max cc1' = most cc1/cc1plus processes seen under the "
              "server at once, which --jobs 2 should keep at 2 or below)")
    if a.only_burst:
        return 0
    lat = res.get("latency")
    parts = []
    if lat:
        for r in lat["rows"]:
            if r["ratio"] is not None:
                parts.append(f"{r['source']}/{r['protocol']} {r['ratio']:.2f}")
    line = "SUMMARY: median latency ours/stock " + (", ".join(parts) if parts else "n/a")
    idle = res.get("idle_rss_after_warmup")
    if idle:
        line += (f"; idle RSS ours {fmt(idle['ours']['mib'], 1, 0)} MiB vs stock "
                 f"{fmt(idle['stock']['mib'], 1, 0)} MiB")
    for lang in ("c", "cpp"):
        if f"{lang}/ours" in b and f"{lang}/stock" in b:
            o, s = agg(b[f"{lang}/ours"]), agg(b[f"{lang}/stock"])
            line += (f"; {lang} bursts (50 jobs, --jobs 2): ours {o['ok']}/{o['n']} ok, median wall "
                     f"{statistics.median(o['walls']):.1f} s, peak {o['peak']:.0f} MiB; stock {s['ok']}/{s['n']} ok, "
                     f"{statistics.median(s['walls']):.1f} s, peak {s['peak']:.0f} MiB")
    nfail = len(lat["failures"]) if lat else 0
    line += f"; {nfail} failed latency runs"
    print(line)
    return 0


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("freeports"); p.add_argument("n", type=int); p.set_defaults(f=cmd_freeports)
    p = sub.add_parser("waitlisten"); p.add_argument("pid", type=int); p.add_argument("port", type=int)
    p.add_argument("seconds", type=float); p.set_defaults(f=cmd_waitlisten)
    p = sub.add_parser("sources"); p.add_argument("dir"); p.set_defaults(f=cmd_sources)
    p = sub.add_parser("latency")
    for opt in ("--ours-pid", "--stock-pid", "--ours-port", "--stock-port"):
        p.add_argument(opt, type=int, required=True)
    p.add_argument("--work", required=True)
    p.add_argument("--rounds", type=int, default=15)
    p.add_argument("--warmup", type=int, default=3)
    p.add_argument("--timeout", type=float, default=60.0, help="per client run, seconds")
    p.add_argument("--budget", type=float, default=240.0, help="max seconds for the measured rounds")
    p.set_defaults(f=cmd_latency)
    p = sub.add_parser("burst")
    p.add_argument("--work", required=True); p.add_argument("--kind", choices=("ours", "stock"), required=True)
    p.add_argument("--pid", type=int, required=True); p.add_argument("--port", type=int, required=True)
    p.add_argument("--jobs", type=int, default=2); p.add_argument("--n", type=int, default=50)
    p.add_argument("--lang", choices=("c", "cpp"), default="c")
    p.add_argument("--interval", type=float, default=0.05); p.add_argument("--timeout", type=float, default=90.0)
    p.set_defaults(f=cmd_burst)
    p = sub.add_parser("summary"); p.add_argument("--work", required=True)
    p.add_argument("--only-burst", action="store_true"); p.set_defaults(f=cmd_summary)
    a = ap.parse_args()
    # TERM from bench/server-latency's trap: unwind, so running clients get killed (subprocess.run
    # kills its child on an exception; the burst kills its clients in a finally block)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    sys.exit(a.f(a) or 0)


if __name__ == "__main__":
    main()
