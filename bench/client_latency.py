#!/usr/bin/env python3
"""Helper for bench/client-latency (standard library only).

Subcommands (all called by bench/client-latency; not meant to be run by hand):
  freeports N                        print N free TCP ports on 127.0.0.1
  waitlisten PID PORT SECONDS        wait until PORT is in LISTEN state and PID is alive
  sources DIR                        write the per-job sources (small.c, heavy.c, heavy.cpp) into DIR
  project DIR N                      write a make project of N C files (+ a header each) into DIR
  latency --work W ...               phase (a) + (c): per-job wall time, ours vs stock vs plain gcc
  build --work W ...                 phase (b) + (c): make -j4 of the project, ours vs stock vs gcc
  agentpids DIR                      pids of AgentMain JVMs whose --dir is DIR/agent (or DIR)
  summary --work W                   final tables, acceptance view and SUMMARY line

Our client is always `<snapshot>/bin/distcc`, the stock client `/usr/bin/distcc`; both run every
job with the same DISTCC_DIR of their own for the whole bench (ours: one resident agent serves them
all, as in a real build), DISTCC_FALLBACK=0, against the same stock distccd on 127.0.0.1.
Measurements go to W/results.json so that the final summary can combine phases.
"""
import argparse
import hashlib
import math
import resource
import os
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time

from benchlib import HEAVY_CPP, PROTOCOLS, SMALL_C, cmd_freeports, fmt, load, save, wait_listening

STOCK = "/usr/bin/distcc"


# "header-heavy" C: a dozen system headers (~3,000 preprocessed lines), little code
HEAVY_C = r'''#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include <time.h>
#include <ctype.h>
#include <errno.h>
#include <signal.h>
#include <unistd.h>
#include <fcntl.h>
#include <pthread.h>
#include <sys/types.h>
#include <sys/stat.h>
#include <sys/socket.h>
#include <netinet/in.h>

static int cmp(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int main(int argc, char **argv)
{
    char **copy = calloc((size_t)argc, sizeof *copy);
    struct stat st;
    if (!copy) return EXIT_FAILURE;
    for (int i = 0; i < argc; i++) copy[i] = strdup(argv[i]);
    qsort(copy, (size_t)argc, sizeof *copy, cmp);
    for (int i = 0; i < argc; i++) {
        int up = 0;
        for (const char *p = copy[i]; *p; p++) up += isupper((unsigned char)*p);
        printf("%d %s %d %s %.3f\n", i, copy[i], up,
               stat(copy[i], &st) == 0 ? "exists" : strerror(errno), sqrt((double)i));
        free(copy[i]);
    }
    free(copy);
    printf("%ld %d\n", (long)time(NULL), (int)getpid());
    return EXIT_SUCCESS;
}
'''


SOURCES = [("small.c", "gcc"), ("heavy.c", "gcc"), ("heavy.cpp", "g++")]
KINDS = ("ours", "stock")


# ---------------------------------------------------------------- the make project

COMMON_H = r'''#ifndef COMMON_H
#define COMMON_H
#include <stddef.h>
#include <stdint.h>

#define TABLE 64

struct record {
    char name[32];
    int32_t key;
    double weight;
    uint32_t flags;
};

uint32_t common_hash(const void *data, size_t len);
#endif
'''


def module_header(i):
    return (f'#ifndef MOD_{i:02d}_H\n#define MOD_{i:02d}_H\n#include "common.h"\n\n'
            f'struct mod_{i:02d}_state {{\n    struct record rec[TABLE];\n    double matrix[8][8];\n'
            f'    size_t used;\n}};\n\n'
            f'void mod_{i:02d}_init(struct mod_{i:02d}_state *s, unsigned seed);\n'
            f'int mod_{i:02d}_sort(struct mod_{i:02d}_state *s);\n'
            f'double mod_{i:02d}_mix(struct mod_{i:02d}_state *s, int rounds);\n'
            f'int mod_{i:02d}_report(const struct mod_{i:02d}_state *s, char *out, size_t size);\n'
            f'uint32_t mod_{i:02d}_checksum(const struct mod_{i:02d}_state *s);\n#endif\n')


def module_source(i):
    """a C file doing some real work at -O2: sorting, string formatting, a matrix product, a state
    machine; every module differs in its constants so no two objects are alike"""
    m = f"mod_{i:02d}"
    return f'''#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include <ctype.h>
#include "{m}.h"

static int by_key(const void *a, const void *b)
{{
    const struct record *x = a, *y = b;
    if (x->key != y->key) return x->key < y->key ? -1 : 1;
    return strcmp(x->name, y->name);
}}

void {m}_init(struct {m}_state *s, unsigned seed)
{{
    memset(s, 0, sizeof *s);
    for (size_t k = 0; k < TABLE; k++) {{
        seed = seed * 1103515245u + {12345 + i}u;
        snprintf(s->rec[k].name, sizeof s->rec[k].name, "{m}-%zu-%u", k, seed % 1000u);
        s->rec[k].key = (int32_t)(seed % {97 + i}u);
        s->rec[k].weight = (double)(seed % 1000u) / {i + 3}.0;
        s->rec[k].flags = seed & 0xffu;
    }}
    for (int r = 0; r < 8; r++)
        for (int c = 0; c < 8; c++)
            s->matrix[r][c] = (r == c) ? 1.0 : (double)((r * {i + 5} + c) % 7) / 7.0;
    s->used = TABLE;
}}

int {m}_sort(struct {m}_state *s)
{{
    qsort(s->rec, s->used, sizeof s->rec[0], by_key);
    int inversions = 0;
    for (size_t k = 1; k < s->used; k++)
        if (s->rec[k - 1].weight > s->rec[k].weight) inversions++;
    return inversions;
}}

double {m}_mix(struct {m}_state *s, int rounds)
{{
    double acc = 0.0, tmp[8][8];
    for (int n = 0; n < rounds; n++) {{
        for (int r = 0; r < 8; r++)
            for (int c = 0; c < 8; c++) {{
                double v = 0.0;
                for (int k = 0; k < 8; k++) v += s->matrix[r][k] * s->matrix[k][c];
                tmp[r][c] = v / (1.0 + fabs(v));
            }}
        memcpy(s->matrix, tmp, sizeof tmp);
        for (size_t k = 0; k < s->used; k++) {{
            switch ((s->rec[k].flags + (unsigned)n) % 5u) {{
            case 0: s->rec[k].weight = sqrt(fabs(s->rec[k].weight) + {i}.0); break;
            case 1: s->rec[k].weight *= 1.0 + tmp[k % 8][(k + {i}) % 8]; break;
            case 2: s->rec[k].weight = sin(s->rec[k].weight) * {i + 1}.0; break;
            case 3: s->rec[k].key ^= (int32_t)(s->rec[k].flags << (n % 7)); break;
            default: s->rec[k].weight = log1p(fabs(s->rec[k].weight)); break;
            }}
            acc += s->rec[k].weight;
        }}
    }}
    return acc;
}}

int {m}_report(const struct {m}_state *s, char *out, size_t size)
{{
    size_t len = 0;
    for (size_t k = 0; k < s->used && len + 1 < size; k++) {{
        int n = snprintf(out + len, size - len, "%s:%d:%.2f;", s->rec[k].name, (int)s->rec[k].key,
                         s->rec[k].weight);
        if (n < 0) return -1;
        len += (size_t)n;
    }}
    for (size_t k = 0; k < len && k < size; k++) out[k] = (char)toupper((unsigned char)out[k]);
    return (int)len;
}}

uint32_t {m}_checksum(const struct {m}_state *s)
{{
    uint32_t h = common_hash(s->rec, sizeof s->rec[0] * s->used) ^ {i * 2654435761 % 4294967296}u;
    for (int r = 0; r < 8; r++)
        for (int c = 0; c < 8; c++) h = h * 31u + (uint32_t)(s->matrix[r][c] * 1000.0);
    return h;
}}
'''


COMMON_C = r'''#include "common.h"

uint32_t common_hash(const void *data, size_t len)
{
    const unsigned char *p = data;
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < len; i++) h = (h ^ p[i]) * 16777619u;
    return h;
}
'''

MAKEFILE = '''# generated by bench/client-latency: one object per module; CC is given on the command line
CC ?= gcc
CFLAGS = -O2 -Wall -Wextra
SRCS = $(wildcard *.c)
OBJS = $(SRCS:.c=.o)

all: $(OBJS)

common.o: common.c common.h
\t$(CC) $(CFLAGS) -c $< -o $@

%.o: %.c %.h common.h
\t$(CC) $(CFLAGS) -c $< -o $@

clean:
\trm -f $(OBJS)

.PHONY: all clean
'''


# ---------------------------------------------------------------- /proc helpers

def vmrss_kib(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def alive(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("State:"):
                    return "Z" not in line.split()[1]
    except OSError:
        return False
    return False


def cmdline(pid):
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return [x.decode(errors="replace") for x in f.read().split(b"\0") if x]
    except OSError:
        return []


def agent_pids(distcc_dir):
    """AgentMain JVMs serving DISTCC_DIR (the front-end passes --dir $DISTCC_DIR/agent)"""
    want = {os.path.normpath(distcc_dir), os.path.normpath(os.path.join(distcc_dir, "agent"))}
    found = []
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        args = cmdline(int(name))
        if not any(a.endswith("AgentMain") for a in args):
            continue
        for k in range(len(args) - 1):
            if args[k] == "--dir" and os.path.normpath(args[k + 1]) in want:
                found.append(int(name))
                break
    return sorted(found)


def cpu_ms(pid, children=False):
    """user + system CPU time of pid itself, ms, plus that of its children it has waited for if
    `children`; None if it is gone"""
    try:
        with open(f"/proc/{pid}/stat") as f:
            data = f.read()
    except OSError:
        return None
    fields = data[data.rfind(")") + 2:].split()
    ticks = int(fields[11]) + int(fields[12])
    if children:
        ticks += int(fields[13]) + int(fields[14])
    return ticks * 1000.0 / os.sysconf("SC_CLK_TCK")


class AgentWatch:
    """Follows the agent JVM of one DISTCC_DIR: its pid (a change = the agent was restarted), and
    the peak VmRSS sampled every `interval` seconds in a thread while active."""

    def __init__(self, distcc_dir, interval=0.05):
        self.dir, self.interval = distcc_dir, interval
        self.pids_seen = []
        self.peak_kib = 0
        self.samples = 0
        self._stop = threading.Event()
        self._th = None
        self.pid = None

    def find(self, wait_s=0.0):
        deadline = time.monotonic() + wait_s
        while True:
            pids = agent_pids(self.dir)
            if pids or time.monotonic() >= deadline:
                break
            time.sleep(0.02)
        if len(pids) > 1:
            self.multi = pids
        self.pid = pids[0] if pids else None
        if self.pid is not None and self.pid not in self.pids_seen:
            self.pids_seen.append(self.pid)
        return self.pid

    def rss_mib(self):
        if self.pid is None or not alive(self.pid):
            self.find()
        r = vmrss_kib(self.pid) if self.pid else None
        return r / 1024.0 if r is not None else None

    def _run(self):
        while not self._stop.is_set():
            if self.pid is None or not alive(self.pid):
                self.find()
            r = vmrss_kib(self.pid) if self.pid else None
            if r is not None:
                self.samples += 1
                self.peak_kib = max(self.peak_kib, r)
            self._stop.wait(self.interval)

    def start(self):
        self.peak_kib, self.samples = 0, 0
        self._stop.clear()
        self._th = threading.Thread(target=self._run, daemon=True)
        self._th.start()

    def stop(self):
        self._stop.set()
        if self._th:
            self._th.join()
        return self.peak_kib / 1024.0, self.samples


# ---------------------------------------------------------------- the server's log

def server_jobs(log):
    """(COMPILE_OK count, other outcomes count) in stock distccd's log so far"""
    ok = other = 0
    try:
        with open(log, errors="replace") as f:
            for line in f:
                if "dcc_job_summary" in line:
                    if " COMPILE_OK " in line:
                        ok += 1
                    else:
                        other += 1
    except OSError:
        pass
    return ok, other


def backoff_files(distcc_dir):
    out = []
    for base, _dirs, files in os.walk(distcc_dir):
        out.extend(os.path.relpath(os.path.join(base, f), distcc_dir) for f in files if "backoff" in f)
    return sorted(out)


# ---------------------------------------------------------------- results file


# ---------------------------------------------------------------- running things

def base_env():
    return {k: v for k, v in os.environ.items() if not k.startswith("DISTCC_")}


def client_env(work, distcc_dir, port, suffix):
    env = base_env()
    env["DISTCC_HOSTS"] = f"127.0.0.1:{port}{suffix}"
    env["DISTCC_FALLBACK"] = "0"
    env["DISTCC_DIR"] = distcc_dir
    env["TMPDIR"] = os.path.join(work, "client-tmp")
    return env


def sha(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


LAST_CPU = [0.0]  # CPU time (user + system, ms) of the last run_timed command and its descendants


def children_cpu_ms():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (r.ru_utime + r.ru_stime) * 1000.0


def run_timed(cmd, cwd, env, timeout):
    """(rc, ms, stderr text); rc is 'timeout' when killed. Timing covers only the subprocess. It runs
    in a process group of its own, killed whole on a timeout or on TERM (make's compilers included).
    Its CPU time, with that of every descendant it waited for, is left in LAST_CPU[0]."""
    c0 = children_cpu_ms()
    try:
        return _run_timed(cmd, cwd, env, timeout)
    finally:
        LAST_CPU[0] = children_cpu_ms() - c0


def _run_timed(cmd, cwd, env, timeout):
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                         stderr=subprocess.PIPE, start_new_session=True)
    try:
        _out, err = p.communicate(timeout=timeout)
        return p.returncode, (time.perf_counter() - t0) * 1000.0, err.decode(errors="replace")
    except subprocess.TimeoutExpired:
        ms = (time.perf_counter() - t0) * 1000.0
        killpg(p)
        _out, err = p.communicate()
        return "timeout", ms, (err or b"").decode(errors="replace")
    except BaseException:
        killpg(p)
        raise


def killpg(p):
    try:
        os.killpg(p.pid, signal.SIGKILL)
    except OSError:
        pass
    p.wait()


def spread(ratios):
    """median [min-max] of per-round ratios"""
    if not ratios:
        return "-"
    return f"{statistics.median(ratios):.2f} [{min(ratios):.2f}-{max(ratios):.2f}]"


# ---------------------------------------------------------------- subcommands


def cmd_waitlisten(a):
    return wait_listening(a, alive)


def cmd_sources(a):
    os.makedirs(a.dir, exist_ok=True)
    for name, text in (("small.c", SMALL_C), ("heavy.c", HEAVY_C), ("heavy.cpp", HEAVY_CPP)):
        with open(os.path.join(a.dir, name), "w") as f:
            f.write(text)


def cmd_project(a):
    os.makedirs(a.dir, exist_ok=True)
    files = {"common.h": COMMON_H, "common.c": COMMON_C, "Makefile": MAKEFILE}
    for i in range(a.n - 1):  # + common.c = n C files
        files[f"mod_{i:02d}.c"] = module_source(i)
        files[f"mod_{i:02d}.h"] = module_header(i)
    for name, text in files.items():
        with open(os.path.join(a.dir, name), "w") as f:
            f.write(text)


def cmd_agentpids(a):
    print(" ".join(map(str, agent_pids(a.dir))))


class Problems:
    def __init__(self):
        self.items = []

    def add(self, text):
        self.items.append(text)
        if len(self.items) <= 12:
            print("  !!", text, flush=True)


def cmd_latency(a):
    work, src_dir = a.work, os.path.join(a.work, "src")
    res = load(work)
    probs = Problems()
    dirs = {"ours": a.ours_dir, "stock": a.stock_dir}
    clients = {"ours": os.path.join(a.ours_root, "bin", "distcc"), "stock": STOCK}
    watch = AgentWatch(a.ours_dir)

    for kind, d in dirs.items():
        b = backoff_files(d)
        if b:
            probs.add(f"{kind}: backoff files in DISTCC_DIR before the series: {b}; removed")
            for f in b:
                os.unlink(os.path.join(d, f))
    if agent_pids(a.ours_dir):
        probs.add(f"an agent for {a.ours_dir} is already running before the first job")

    # reference objects from plain gcc/g++ (no distcc); also warms the page cache for the compilers
    ref = {}
    for src, cc in SOURCES:
        obj = os.path.join(src_dir, f"local-{src}.o")
        rc, _ms, err = run_timed([cc, "-c", src, "-o", obj], src_dir, base_env(), a.timeout)
        if rc != 0:
            probs.add(f"local {cc} -c {src} failed: {err.strip()[-300:]}")
            return 1
        ref[src] = sha(obj)

    served0 = server_jobs(a.log)
    njobs = [0]
    mismatch = {}
    client_cpu = {"ours": 0.0, "stock": 0.0}  # over the measured rounds
    measuring = [False]

    def job(kind, src, cc, proto, suffix, tag):
        obj = os.path.join(src_dir, f"{kind}-{src}-{proto}.o")
        try:
            os.unlink(obj)
        except FileNotFoundError:
            pass
        env = client_env(work, dirs[kind], a.port, suffix)
        rc, ms, err = run_timed([clients[kind], cc, "-c", src, "-o", obj], src_dir, env, a.timeout)
        if measuring[0]:
            client_cpu[kind] += LAST_CPU[0]
        njobs[0] += 1
        ok = rc == 0 and os.path.isfile(obj) and os.path.getsize(obj) > 0
        if not ok:
            probs.add(f"{tag} {kind} {src} {proto}: exit {rc} after {ms:.0f} ms, object "
                      f"{'present' if os.path.isfile(obj) else 'missing'}: {err.strip()[-400:]}")
        elif err.strip():
            probs.add(f"{tag} {kind} {src} {proto}: exit 0 but printed: {err.strip()[-400:]}")
        if ok and sha(obj) != ref[src]:
            mismatch[(src, proto, kind)] = mismatch.get((src, proto, kind), 0) + 1
            probs.add(f"{tag} {kind} {src} {proto}: object differs from the local gcc build")
        return ok and not err.strip(), ms

    # cold start: the very first job of each client in its DISTCC_DIR; ours starts its agent here
    cold = {}
    for kind in KINDS:
        ok, ms = job(kind, "small.c", "gcc", "plain", "", "cold")
        cold[kind] = {"ok": ok, "ms": ms}
    watch.find(wait_s=2.0)
    cold["agent_pid"] = watch.pid
    print(f"cold start (first job in a fresh DISTCC_DIR, small.c plain): ours {cold['ours']['ms']:.0f} ms "
          f"(starts agent pid {watch.pid}), stock {cold['stock']['ms']:.0f} ms", flush=True)
    res["cold"] = cold

    # warm-up rounds, not timed
    t0 = time.monotonic()
    for _ in range(a.warmup):
        for src, cc in SOURCES:
            for proto, suffix in PROTOCOLS:
                for kind in KINDS:
                    job(kind, src, cc, proto, suffix, "warm-up")
    print(f"warm-up: {a.warmup} rounds, {a.warmup * len(SOURCES) * len(PROTOCOLS)} jobs per client in "
          f"{time.monotonic() - t0:.1f} s", flush=True)
    time.sleep(1.0)
    res["rss_idle_warm"] = watch.rss_mib()

    # measured rounds: per (source, protocol) ours and stock back to back, the order alternating
    # from round to round; then the same source with plain gcc/g++ -c (the floor)
    samples = {}   # "src proto kind" -> [ms or None per round]
    local = {}     # src -> [ms]
    watch.find()
    pid0 = watch.pid
    cpu0 = cpu_ms(pid0) if pid0 else None
    cpu0c = cpu_ms(pid0, children=True) if pid0 else None
    measuring[0] = True
    watch.start()
    t0 = time.monotonic()
    rounds = 0
    for r in range(a.rounds):
        if time.monotonic() - t0 > a.budget:
            print(f"time budget of {a.budget:.0f} s used up after {r} rounds; stopping early")
            break
        for si, (src, cc) in enumerate(SOURCES):
            for pi, (proto, suffix) in enumerate(PROTOCOLS):
                order = KINDS if (r + si + pi) % 2 == 0 else KINDS[::-1]
                for kind in order:
                    ok, ms = job(kind, src, cc, proto, suffix, f"round {r + 1}")
                    samples.setdefault(f"{src} {proto} {kind}", []).append(ms if ok else None)
            obj = os.path.join(src_dir, f"local-{src}.o")
            rc, ms, err = run_timed([cc, "-c", src, "-o", obj], src_dir, base_env(), a.timeout)
            if rc == 0:
                local.setdefault(src, []).append(ms)
            else:
                probs.add(f"round {r + 1} local {src}: exit {rc}: {err.strip()[-300:]}")
        rounds = r + 1
    meas_s = time.monotonic() - t0
    if rounds < 10:
        probs.add(f"only {rounds} measured rounds in (a) (the time budget ran out); at least 10 are wanted")
    peak, nsamp = watch.stop()
    measuring[0] = False
    cpu1 = cpu_ms(pid0) if pid0 else None
    cpu1c = cpu_ms(pid0, children=True) if pid0 else None
    n_ours = sum(1 for k, v in samples.items() if k.endswith(" ours") for _ in v)
    n_stock = sum(1 for k, v in samples.items() if k.endswith(" stock") for _ in v)
    if cpu0 is not None and cpu1 is not None and n_ours and n_stock:
        res["agent_cpu_per_job_a"] = (cpu1 - cpu0) / n_ours
        res["client_cpu_per_job_a"] = {"ours": (client_cpu["ours"] + cpu1c - cpu0c) / n_ours,
                                       "ours_frontend": client_cpu["ours"] / n_ours,
                                       "stock": client_cpu["stock"] / n_stock}
    time.sleep(1.0)
    res["rss_idle_after_a"] = watch.rss_mib()
    res["rss_peak_a"] = peak

    time.sleep(0.5)  # the daemon logs a job after answering it
    served1 = server_jobs(a.log)
    served = served1[0] - served0[0]
    if served != njobs[0] or served1[1] != served0[1]:
        probs.add(f"the daemon logged {served} COMPILE_OK (+{served1[1] - served0[1]} other outcomes) "
                  f"for {njobs[0]} client jobs: some job did not go to the server")

    rows = []
    for src, _cc in SOURCES:
        for proto, _s in PROTOCOLS:
            o = samples.get(f"{src} {proto} ours", [])
            s = samples.get(f"{src} {proto} stock", [])
            oo = [x for x in o if x is not None]
            ss = [x for x in s if x is not None]
            ratios = [x / y for x, y in zip(o, s) if x is not None and y is not None and y > 0]
            row = {"source": src, "protocol": proto, "n_ours": len(oo), "n_stock": len(ss),
                   "median_ours": statistics.median(oo) if oo else None,
                   "median_stock": statistics.median(ss) if ss else None,
                   "ratios": ratios,
                   "median_local": statistics.median(local[src]) if local.get(src) else None,
                   "mismatch_ours": mismatch.get((src, proto, "ours"), 0),
                   "mismatch_stock": mismatch.get((src, proto, "stock"), 0)}
            row["ratio"] = (row["median_ours"] / row["median_stock"]
                            if oo and ss and row["median_stock"] else None)
            rows.append(row)
    res["latency"] = {"rows": rows, "rounds": rounds, "warmup": a.warmup, "seconds": meas_s,
                      "jobs": njobs[0], "served": served, "rss_samples": nsamp}
    res["agent_pids_a"] = watch.pids_seen
    res.setdefault("problems", []).extend(probs.items)
    save(work, res)
    print(f"measured: {rounds} rounds in {meas_s:.1f} s; {njobs[0]} distcc jobs in phase (a), "
          f"{served} COMPILE_OK in the daemon's log; {len(probs.items)} problems", flush=True)
    return 0 if not probs.items else 1


def list_objects(proj):
    return sorted(f for f in os.listdir(proj) if f.endswith(".o"))


def clean(proj):
    for f in list_objects(proj):
        os.unlink(os.path.join(proj, f))


def cmd_build(a):
    work, proj = a.work, os.path.join(a.work, "proj")
    res = load(work)
    probs = Problems()
    nsrc = len([f for f in os.listdir(proj) if f.endswith(".c")])
    watch = AgentWatch(a.ours_dir)
    watch.find()
    if watch.pid is None:
        probs.add("no agent running at the start of phase (b)")
    ccs = {"ours": f"{os.path.join(a.ours_root, 'bin', 'distcc')} gcc", "stock": f"{STOCK} gcc",
           "local": "gcc"}
    dirs = {"ours": a.ours_dir, "stock": a.stock_dir}
    njobs = [0]
    mismatch = {"ours": 0, "stock": 0, "local": 0}

    def build(kind, tag):
        clean(proj)
        env = client_env(work, dirs[kind], a.port, "") if kind in dirs else base_env()
        rc, ms, err = run_timed(["make", "-j", str(a.jobs), f"CC={ccs[kind]}"], proj, env, a.timeout)
        if kind in dirs:
            njobs[0] += nsrc
        objs = list_objects(proj)
        ok = rc == 0 and len(objs) == nsrc
        if not ok:
            probs.add(f"{tag} {kind}: make exit {rc} after {ms / 1000:.1f} s, {len(objs)}/{nsrc} objects: "
                      f"{err.strip()[-400:]}")
        elif err.strip():
            probs.add(f"{tag} {kind}: make exit 0 but stderr: {err.strip()[-400:]}")
        hashes = {o: sha(os.path.join(proj, o)) for o in objs}
        return ok and not err.strip(), ms, hashes

    # the reference: a local build (also warms the page cache), then warm-up builds, not timed
    ok, _ms, ref = build("local", "reference")
    if not ok:
        return 1
    served0 = server_jobs(a.log)
    for w in range(a.warmup):
        for kind in KINDS:
            build(kind, f"warm-up {w + 1}")
    time.sleep(1.0)
    res["rss_idle_before_b"] = watch.rss_mib()

    times = {"ours": [], "stock": [], "local": []}
    same = {"ours": 0, "stock": 0, "local": 0}
    watch.find()
    pid0 = watch.pid
    cpu0 = cpu_ms(pid0) if pid0 else None
    cpu0c = cpu_ms(pid0, children=True) if pid0 else None
    make_cpu = {"ours": 0.0, "stock": 0.0, "local": 0.0}
    watch.start()
    t0 = time.monotonic()
    rounds = 0
    for r in range(a.rounds):
        if time.monotonic() - t0 > a.budget:
            print(f"time budget of {a.budget:.0f} s used up after {r} rounds; stopping early")
            break
        order = ("ours", "stock", "local") if r % 2 == 0 else ("stock", "ours", "local")
        line = []
        for kind in order:
            ok, ms, hashes = build(kind, f"round {r + 1}")
            make_cpu[kind] += LAST_CPU[0]
            times[kind].append(ms if ok else None)
            diff = [o for o in ref if hashes.get(o) != ref[o]]
            if ok and not diff:
                same[kind] += 1
            elif ok:
                mismatch[kind] += 1
                probs.add(f"round {r + 1} {kind}: {len(diff)} objects differ from the reference local "
                          f"build, e.g. {diff[:3]}")
            line.append(f"{kind} {ms / 1000:.2f} s")
        print(f"  round {r + 1:2d}: " + ", ".join(line), flush=True)
        rounds = r + 1
    meas_s = time.monotonic() - t0
    if rounds < 10:
        probs.add(f"only {rounds} measured rounds in (b) (the time budget ran out); at least 10 are wanted")
    peak, nsamp = watch.stop()
    cpu1 = cpu_ms(pid0) if pid0 else None
    cpu1c = cpu_ms(pid0, children=True) if pid0 else None
    n_ours = nsrc * len(times["ours"])
    if cpu0 is not None and cpu1 is not None and n_ours:
        res["agent_cpu_per_job_b"] = (cpu1 - cpu0) / n_ours
        nb = len(times["ours"])
        res["client_cpu_per_build_b"] = {"ours": (make_cpu["ours"] + cpu1c - cpu0c) / nb,
                                         "stock": make_cpu["stock"] / nb, "local": make_cpu["local"] / nb}
    time.sleep(1.0)
    res["rss_idle_after_b"] = watch.rss_mib()
    res["rss_peak_b"] = peak
    time.sleep(0.5)
    served1 = server_jobs(a.log)
    served = served1[0] - served0[0]
    if served != njobs[0] or served1[1] != served0[1]:
        probs.add(f"the daemon logged {served} COMPILE_OK (+{served1[1] - served0[1]} other outcomes) "
                  f"for {njobs[0]} distcc compiles: some compile did not go to the server")
    o, s, loc = times["ours"], times["stock"], times["local"]
    ratios = [x / y for x, y in zip(o, s) if x is not None and y is not None and y > 0]
    oo, ss, ll = ([x for x in t if x is not None] for t in (o, s, loc))
    res["build"] = {"files": nsrc, "rounds": rounds, "warmup": a.warmup, "jobs": a.jobs,
                    "seconds": meas_s, "times": times, "ratios": ratios,
                    "median_ours": statistics.median(oo) if oo else None,
                    "median_stock": statistics.median(ss) if ss else None,
                    "median_local": statistics.median(ll) if ll else None,
                    "same": same, "mismatch": mismatch, "served": served, "compiles": njobs[0],
                    "rss_samples": nsamp}
    b = res["build"]
    b["ratio"] = b["median_ours"] / b["median_stock"] if oo and ss else None
    watch_pids = res.get("agent_pids_a", [])
    for p in watch.pids_seen:
        if p not in watch_pids:
            watch_pids.append(p)
    res["agent_pids"] = watch_pids
    res.setdefault("problems", []).extend(probs.items)
    save(work, res)
    print(f"measured: {rounds} rounds in {meas_s:.1f} s; {njobs[0]} distcc compiles in phase (b), "
          f"{served} COMPILE_OK in the daemon's log; {len(probs.items)} problems", flush=True)
    return 0 if not probs.items else 1


def cmd_summary(a):
    res = load(a.work)
    lat, bld = res.get("latency"), res.get("build")
    cold = res.get("cold", {})
    acc = []
    print("(a) per-job wall time, ms: `<client> <cc> -c SRC -o OBJ` against stock distccd --jobs 4 on "
          "127.0.0.1; ours = <snapshot>/bin/distcc (resident agent), stock = /usr/bin/distcc;")
    if lat:
        print(f"    medians over {lat['rounds']} interleaved rounds after {lat['warmup']} warm-up rounds; "
              "ratio = ours/stock of the medians; per-round = median [min-max] of ours/stock within "
              "each round; (c) gcc -c = the same compile without distcc")
        hdr = (f"{'source':<10} {'proto':<5} {'n':>5} {'ours':>8} {'stock':>8} {'ratio':>6} "
               f"{'per-round ratio':>19} {'gcc -c':>8} {'ours-gcc':>8} {'stock-gcc':>9} {'same .o':>7}")
        print(hdr)
        print("-" * len(hdr))
        for r in lat["rows"]:
            n = f"{r['n_ours']}/{r['n_stock']}"
            same = "yes" if r["mismatch_ours"] == 0 and r["mismatch_stock"] == 0 else \
                f"NO {r['mismatch_ours']}/{r['mismatch_stock']}"
            over_o = r["median_ours"] - r["median_local"] if r["median_ours"] and r["median_local"] else None
            over_s = r["median_stock"] - r["median_local"] if r["median_stock"] and r["median_local"] else None
            print(f"{r['source']:<10} {r['protocol']:<5} {n:>5} {fmt(r['median_ours'])} "
                  f"{fmt(r['median_stock'])} {fmt(r['ratio'], 6, 2)} {spread(r['ratios']):>19} "
                  f"{fmt(r['median_local'])} {fmt(over_o)} {fmt(over_s, 9)} {same:>7}")
        print("    (same .o: every object of both clients byte-identical to the one plain gcc/g++ made; "
              "ours-gcc / stock-gcc = what distcc adds to the median)")
        if cold:
            print(f"    cold start: ours' first job (small.c, starts the agent JVM) "
                  f"{cold['ours']['ms']:.0f} ms; stock's first job {cold['stock']['ms']:.0f} ms")
        for src in ("small.c", "heavy.c", "heavy.cpp"):
            rows = [r for r in lat["rows"] if r["source"] == src and r["ratio"] is not None]
            if rows:
                worst = max(r["ratio"] for r in rows)
                acc.append((f"(a) {src:<9} ratio <= 1.0 (plain, lzo: "
                            + ", ".join(f"{r['ratio']:.2f}" for r in rows) + ")", worst <= 1.0))
    print()
    if bld:
        b = bld
        print(f"(b) `make -j{b['jobs']}` of {b['files']} C files ({b['files'] - 1} modules: 5 system headers + "
              f"own header + common.h each, -O2), seconds, after `make clean`; {b['rounds']} interleaved rounds after "
              f"{b['warmup']} warm-up round(s); (c) local = CC=gcc, no distcc")
        med_r = spread(b["ratios"])
        print(f"    ours  {fmt(b['median_ours'] and b['median_ours'] / 1000, 6, 2)} s   "
              f"stock {fmt(b['median_stock'] and b['median_stock'] / 1000, 6, 2)} s   "
              f"ratio {fmt(b['ratio'], 4, 2)}   per-round ratio {med_r}   "
              f"local {fmt(b['median_local'] and b['median_local'] / 1000, 6, 2)} s")
        for kind in ("ours", "stock", "local"):
            ts = [t for t in b["times"][kind] if t is not None]
            print(f"    {kind:<5} all rounds: " + " ".join(f"{t / 1000:.2f}" for t in b["times"][kind]
                                                        if t is not None)
                  + (f"   (min {min(ts) / 1000:.2f}, max {max(ts) / 1000:.2f})" if ts else ""))
        print(f"    objects: byte-identical to the reference local build in "
              f"{b['same']['ours']}/{b['rounds']} ours builds, {b['same']['stock']}/{b['rounds']} stock "
              f"builds, {b['same']['local']}/{b['rounds']} local builds ({b['files']} objects each); "
              f"daemon logged {b['served']} COMPILE_OK for {b['compiles']} distcc compiles")
        if b["ratio"] is not None:
            acc.append((f"(b) make -j{b['jobs']} ratio <= 1.0 ({b['ratio']:.2f})", b["ratio"] <= 1.0))
    print()

    def mib(key):
        return fmt(res.get(key), 1, 1)
    print(f"agent RSS (VmRSS of the AgentMain JVM, MiB): idle after warm-up {mib('rss_idle_warm')}, "
          f"peak during (a) {mib('rss_peak_a')}, idle after (a) {mib('rss_idle_after_a')}, "
          f"idle before (b) {mib('rss_idle_before_b')}, peak during (b) {mib('rss_peak_b')} (sampled every 50 ms, "
          f"{bld['rss_samples'] if bld else 0} samples), idle after (b) {mib('rss_idle_after_b')}")
    print(f"agent CPU time (the JVM's own user+system), ms per job: "
          f"(a) {fmt(res.get('agent_cpu_per_job_a'), 1, 1)}, (b) {fmt(res.get('agent_cpu_per_job_b'), 1, 1)}")
    ca, cb = res.get("client_cpu_per_job_a"), res.get("client_cpu_per_build_b")
    if ca:
        print(f"client-side CPU time (user+system; ours = front-end with the preprocessor it runs + agent JVM, "
              f"stock = distcc + its preprocessor; the server's compile excluded), (a) ms per job, all sources: "
              f"ours {ca['ours']:.1f} (front-end and its preprocessor {ca['ours_frontend']:.1f}), stock {ca['stock']:.1f}")
    if cb:
        print(f"  (b) s per build, make included: ours {cb['ours'] / 1000:.2f}, stock {cb['stock'] / 1000:.2f} "
              f"(local build, compiles included: {cb['local'] / 1000:.2f})")
    pids = res.get("agent_pids", res.get("agent_pids_a", []))
    print(f"agent processes seen for the bench's DISTCC_DIR: {pids} "
          f"({'one agent served every job' if len(pids) == 1 else 'RESTARTED or missing'})")
    probs = res.get("problems", [])
    print(f"problems: {len(probs)}")
    for p in probs[:15]:
        print("   ", p)
    print()
    print("acceptance:")
    for text, good in acc:
        print(f"  {'yes' if good else 'NO '}  {text}")
    print()
    parts = []
    if lat:
        for r in lat["rows"]:
            if r["ratio"] is not None:
                parts.append(f"{r['source']}/{r['protocol']} {r['ratio']:.2f} ({spread(r['ratios'])})")
    line = "SUMMARY: (a) per-job ours/stock " + (", ".join(parts) if parts else "n/a")
    if cold:
        line += f"; cold start {cold['ours']['ms']:.0f} ms"
    if bld and bld["ratio"] is not None:
        line += (f"; (b) make -j{bld['jobs']} x{bld['files']}: ours {bld['median_ours'] / 1000:.2f} s, stock "
                 f"{bld['median_stock'] / 1000:.2f} s, ratio {bld['ratio']:.2f} ({spread(bld['ratios'])}), "
                 f"local {bld['median_local'] / 1000:.2f} s")
    line += (f"; agent RSS idle {mib('rss_idle_warm')} MiB, peak (b) {mib('rss_peak_b')} MiB"
             f"; {len(probs)} problems")
    print(line)
    return 1 if probs else 0


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("freeports"); p.add_argument("n", type=int); p.set_defaults(f=cmd_freeports)
    p = sub.add_parser("waitlisten"); p.add_argument("pid", type=int); p.add_argument("port", type=int)
    p.add_argument("seconds", type=float); p.set_defaults(f=cmd_waitlisten)
    p = sub.add_parser("sources"); p.add_argument("dir"); p.set_defaults(f=cmd_sources)
    p = sub.add_parser("project"); p.add_argument("dir"); p.add_argument("n", type=int)
    p.set_defaults(f=cmd_project)
    p = sub.add_parser("agentpids"); p.add_argument("dir"); p.set_defaults(f=cmd_agentpids)
    for name, fn in (("latency", cmd_latency), ("build", cmd_build)):
        p = sub.add_parser(name)
        p.add_argument("--work", required=True)
        p.add_argument("--ours-root", required=True)
        p.add_argument("--ours-dir", required=True)
        p.add_argument("--stock-dir", required=True)
        p.add_argument("--port", type=int, required=True)
        p.add_argument("--log", required=True, help="the stock distccd's log")
        p.add_argument("--rounds", type=int, default=15)
        p.add_argument("--warmup", type=int, default=2)
        p.add_argument("--budget", type=float, default=150.0, help="max seconds for the measured rounds")
        p.add_argument("--timeout", type=float, default=60.0, help="per client run / build, seconds")
        p.add_argument("--jobs", type=int, default=4, help="make -j")
        p.set_defaults(f=fn)
    p = sub.add_parser("summary"); p.add_argument("--work", required=True); p.set_defaults(f=cmd_summary)
    a = ap.parse_args()
    # TERM from bench/client-latency's trap: unwind, so a running client or make gets killed
    # (subprocess.run kills its child on an exception)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    sys.exit(a.f(a) or 0)


if __name__ == "__main__":
    main()
