/*
 * jdistcc's distcc front-end.
 *
 * make starts distcc once per compile, thousands of times a build; a JVM takes 200-300 ms to start,
 * this program about a millisecond. It hands the job to a resident per-user jdistcc agent (a JVM
 * that hosts the client engine) over a Unix socket in $DISTCC_DIR/agent, relays what the agent
 * sends to stdout and stderr, runs the commands the agent says must run here (so they inherit this
 * process's terminal, stdin, umask and signals), and exits with the job's status.
 *
 * It starts the agent when none answers (one starter at a time, under a lock), replaces an agent of
 * another build, and when no agent can be had it runs the compiler itself with one warning line:
 * an agent problem never fails a build. The wire format is distcc's (4-letter token, 8 hex digits,
 * body); docs/agent.md describes the exchange.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

#define AGENT_PROTOCOL 1
#define MAX_BODY (64u << 20)
#define MAX_COUNT 100000u
#define START_WAIT_MS 20000

static volatile pid_t local_child = 0;

static void warn(const char *fmt, ...) {
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    fprintf(stderr, "distcc[%d] (jdistcc) Warning: %s\n", (int) getpid(), msg);
}

/* ---- packets: 4-letter token, 8 lowercase hex digits, body ---- */

static int write_all(int fd, const void *buf, size_t len) {
    const char *p = buf;
    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return -1;
        p += n;
        len -= (size_t) n;
    }
    return 0;
}

static int read_all(int fd, void *buf, size_t len) {
    char *p = buf;
    while (len > 0) {
        ssize_t n = read(fd, p, len);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return -1;
        p += n;
        len -= (size_t) n;
    }
    return 0;
}

static int put_header(int fd, const char *token, uint32_t value) {
    char h[13];
    snprintf(h, sizeof h, "%.4s%08x", token, value);
    return write_all(fd, h, 12);
}

/* Reads a header; the token must be one of `expected` (4 letters each, concatenated). */
static int get_header(int fd, char token[5], uint32_t *value) {
    char h[13];
    if (read_all(fd, h, 12)) return -1;
    h[12] = 0;
    memcpy(token, h, 4);
    token[4] = 0;
    char *end;
    errno = 0;
    unsigned long v = strtoul(h + 4, &end, 16);
    if (end != h + 12 || errno) return -1;
    *value = (uint32_t) v;
    return 0;
}

static char *get_body(int fd, uint32_t len) {
    if (len > MAX_BODY) return NULL;
    char *s = malloc((size_t) len + 1);
    if (!s || read_all(fd, s, len)) { free(s); return NULL; }
    s[len] = 0;
    return s;
}

/* Reads "<count token> n" then n "<item token>" strings into a NULL-terminated vector. */
static char **get_vector(int fd, const char *count_token, const char *item_token) {
    char token[5];
    uint32_t n, len;
    if (get_header(fd, token, &n) || strcmp(token, count_token) || n > MAX_COUNT) return NULL;
    char **v = calloc((size_t) n + 1, sizeof *v);
    if (!v) return NULL;
    for (uint32_t i = 0; i < n; i++) {
        if (get_header(fd, token, &len) || strcmp(token, item_token) || !(v[i] = get_body(fd, len))) return NULL;
    }
    return v;
}

/* ---- places ---- */

/* $DISTCC_DIR, else ~/.distcc, made absolute: the agent runs elsewhere and must find the same place. */
static int distcc_dir(char *out, size_t size) {
    const char *d = getenv("DISTCC_DIR");
    const char *home = getenv("HOME");
    char given[PATH_MAX], cwd[PATH_MAX];
    int made_default = !(d && *d);
    if (!made_default) {
        if (snprintf(given, sizeof given, "%s", d) >= (int) sizeof given) return -1;
    } else {
        if (!home || !*home || snprintf(given, sizeof given, "%s/.distcc", home) >= (int) sizeof given) return -1;
    }
    if (given[0] == '/') {
        if (snprintf(out, size, "%s", given) >= (int) size) return -1;
    } else if (!getcwd(cwd, sizeof cwd) || snprintf(out, size, "%s/%s", cwd, given) >= (int) size) {
        return -1;
    }
    if (made_default) mkdir(out, 0777); /* as distcc does for the default directory; DISTCC_DIR must exist already */
    return 0;
}

/*
 * $DISTCC_DIR/agent: created 0700, and refused unless it is a directory of ours that nobody else can
 * enter. Returns NULL, or why there is none (for the one warning line of run_without_agent).
 */
static const char *agent_dir(char *out, size_t size) {
    char base[PATH_MAX];
    if (distcc_dir(base, sizeof base) || snprintf(out, size, "%s/agent", base) >= (int) size) {
        return "neither DISTCC_DIR nor HOME is set";
    }
    static char why[PATH_MAX + 100];
    if (mkdir(out, 0700) && errno != EEXIST) {
        snprintf(why, sizeof why, "cannot create %s: %s", out, strerror(errno));
        return why;
    }
    struct stat st;
    if (lstat(out, &st) || !S_ISDIR(st.st_mode) || st.st_uid != getuid() || (st.st_mode & 077)) {
        snprintf(why, sizeof why, "%s is not a private directory of this user, mode 0700", out);
        return why;
    }
    return NULL;
}

/* The lib directory beside bin/, found from this program's real location (masquerade links included). */
static int lib_dir(char *out, size_t size) {
    char self[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n <= 0) return -1;
    self[n] = 0;
    char *bin = dirname(self);
    return snprintf(out, size, "%s/../lib", bin) >= (int) size ? -1 : 0;
}

/* Reads a small file whole, without its trailing newline. */
static char *slurp(const char *path) {
    FILE *f = fopen(path, "r");
    if (!f) return NULL;
    char *buf = malloc(65536);
    size_t n = buf ? fread(buf, 1, 65535, f) : 0;
    fclose(f);
    if (!buf) return NULL;
    while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r')) n--;
    buf[n] = 0;
    return buf;
}

/* ---- the agent ---- */

/*
 * Connects to the agent's socket. A path too long for a socket address (107 bytes) is reached
 * through a descriptor of the agent's directory, /proc/self/fd/N/socket; the agent binds it relative
 * to its working directory, which is that directory.
 */
static int connect_agent(const char *dir, const char *socket_path) {
    struct sockaddr_un addr = {.sun_family = AF_UNIX};
    int dirfd = -1;
    if (strlen(socket_path) < sizeof addr.sun_path) {
        strcpy(addr.sun_path, socket_path);
    } else {
        dirfd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (dirfd < 0) return -1;
        snprintf(addr.sun_path, sizeof addr.sun_path, "/proc/self/fd/%d/socket", dirfd);
    }
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd >= 0 && connect(fd, (struct sockaddr *) &addr, sizeof addr)) {
        close(fd);
        fd = -1;
    }
    if (dirfd >= 0) close(dirfd);
    return fd;
}

/* The agent's own environment. It reads none of it (each job brings the caller's), so it gets none
 * of the first caller's either: no JAVA_TOOL_OPTIONS or LD_PRELOAD (a build under fakeroot), and a
 * UTF-8 locale whatever that caller's was, or the JVM cannot name a file outside ASCII for any job. */
static char *agent_environment[] = {"PATH=/usr/local/bin:/usr/bin:/bin", "LC_ALL=C.UTF-8", NULL};

/* Closes every descriptor from `low` up: the agent must not keep open what its first caller had
 * (make's jobserver, a pipe someone waits on for EOF). */
static void close_from(int low) {
#ifdef SYS_close_range
    if (syscall(SYS_close_range, (unsigned) low, ~0u, 0u) == 0) return; /* Linux 5.9 and later */
#endif
    long max = sysconf(_SC_OPEN_MAX);
    for (long fd = low; fd < (max > 0 && max < 65536 ? max : 65536); fd++) close((int) fd);
}

/* A copy of fd numbered 10 or more, without O_CLOEXEC (-1 stays -1). */
static int above_stdio(int fd) {
    return fd < 0 ? fd : fcntl(fd, F_DUPFD, 10);
}

/* Appends one line to the agent's log, for what happens before a JVM can write it. */
static void log_line(const char *dir, const char *fmt, ...) {
    char path[PATH_MAX], msg[1024];
    snprintf(path, sizeof path, "%s/agent.log", dir);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) return;
    dprintf(fd, "%s\n", msg);
    close(fd);
}

/*
 * Starts the agent detached: new session, its own directory as working directory, the command from
 * lib/agent.cmd, stdin and stdout on /dev/null, stderr appended to agent.log (so a JVM that cannot
 * start says why there). Returns the read end of a pipe whose write end only the agent holds: it
 * reads end-of-file once the agent is gone, so a starter never waits out START_WAIT_MS for an agent
 * that died (no JDK, a bad jar); -1 if nothing was started.
 */
static int spawn_agent(const char *lib, const char *dir, const char *build) {
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/agent.cmd", lib);
    char *cmd = slurp(path);
    if (!cmd) {
        log_line(dir, "front-end %d: cannot read %s: %s", (int) getpid(), path, strerror(errno));
        return -1;
    }
    char *args[256];
    int n = 0;
    for (char *line = strtok(cmd, "\n"); line && n < 250; line = strtok(NULL, "\n")) args[n++] = line;
    args[n++] = "--dir";
    args[n++] = (char *) dir;
    args[n++] = "--build";
    args[n++] = (char *) build;
    args[n] = NULL;
    int alive[2];
    if (pipe2(alive, O_CLOEXEC)) {
        free(cmd);
        return -1;
    }
    int starter = (int) getpid();
    pid_t pid = fork();
    if (pid < 0) {
        close(alive[0]);
        close(alive[1]);
        free(cmd);
        return -1;
    }
    if (pid == 0) {
        setsid();
        if (fork() != 0) _exit(0);
        char log[PATH_MAX];
        snprintf(log, sizeof log, "%s/agent.log", dir);
        /* out of the way of 0-3 first (the caller may have left some of 0-2 closed), and without O_CLOEXEC */
        int keep = above_stdio(alive[1]);
        int null = above_stdio(open("/dev/null", O_RDWR));
        int err = above_stdio(open(log, O_WRONLY | O_APPEND | O_CREAT, 0600));
        dup2(null, 0);
        dup2(null, 1);
        dup2(err >= 0 ? err : null, 2);
        dup2(keep, 3); /* the agent keeps this one for life */
        close_from(4);
        signal(SIGPIPE, SIG_DFL);
        if (chdir(dir)) _exit(127); /* where the agent binds a socket path too long to give whole */
        execve(args[0], args, agent_environment);
        log_line(dir, "front-end %d: cannot run the agent %s: %s", starter, args[0], strerror(errno));
        _exit(127);
    }
    close(alive[1]);
    int status;
    waitpid(pid, &status, 0);
    free(cmd);
    return alive[0];
}

/* Waits up to ms for the agent behind `alive` to go away; true if it has. */
static int agent_gone(int alive, int ms) {
    struct pollfd p = {.fd = alive, .events = POLLIN};
    int r = poll(&p, 1, ms);
    return r > 0; /* the agent never writes: readable means end-of-file */
}

static void sleep_ms(long ms) {
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) && errno == EINTR) {}
}

/* Connects to a running agent, or starts one; one starter at a time, however many jobs begin at once. */
static int reach_agent(const char *dir, const char *socket_path, const char *lib, const char *build) {
    int fd = connect_agent(dir, socket_path);
    if (fd >= 0) return fd;
    char lock_path[PATH_MAX];
    snprintf(lock_path, sizeof lock_path, "%s/start.lock", dir);
    int lock = open(lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (lock < 0 || flock(lock, LOCK_EX)) {
        if (lock >= 0) close(lock);
        return -1;
    }
    fd = connect_agent(dir, socket_path);
    int alive = fd < 0 ? spawn_agent(lib, dir, build) : -1;
    if (alive >= 0) {
        int gone = 0;
        for (long waited = 0; fd < 0 && !gone && waited < START_WAIT_MS; waited += 20) {
            gone = agent_gone(alive, 20);
            fd = connect_agent(dir, socket_path); /* once more after it went: another agent may serve */
        }
        close(alive);
    }
    close(lock); /* releases the flock */
    return fd;
}

/* ---- running a command here ---- */

/* The program for argv0 on the PATH in envp, skipping this program itself (a masquerade link). */
static char *find_program(const char *name, char **envp) {
    if (strchr(name, '/')) return strdup(name);
    const char *path = "/usr/local/bin:/usr/bin:/bin";
    for (char **e = envp; *e; e++) {
        if (!strncmp(*e, "PATH=", 5)) {
            path = *e + 5;
            break;
        }
    }
    char self[PATH_MAX], real[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    self[n > 0 ? n : 0] = 0;
    char *copy = strdup(path);
    char *result = NULL;
    for (char *dir = copy, *next; dir && !result; dir = next) {
        next = strchr(dir, ':');
        if (next) *next++ = 0;
        char candidate[PATH_MAX];
        snprintf(candidate, sizeof candidate, "%s/%s", *dir ? dir : ".", name);
        if (access(candidate, X_OK) == 0 && realpath(candidate, real) && strcmp(real, self) != 0) {
            result = strdup(candidate);
        }
    }
    free(copy);
    return result;
}

static void forward_signal(int sig) {
    if (local_child > 0) kill(local_child, sig);
    signal(sig, SIG_DFL);
    raise(sig);
}

/*
 * Runs argv with envp, inheriting stdio; returns its wait status. With an output file (the agent's
 * LOUT: the preprocessor's .i, made by the agent), stdin is /dev/null and stdout goes to that file.
 */
static int run_here(char **argv, char **envp, const char *output) {
    char *program = find_program(argv[0], envp);
    if (!program) {
        fprintf(stderr, "distcc[%d] (dcc_execvp) ERROR: failed to exec %s: No such file or directory\n",
                (int) getpid(), argv[0]);
        return 110 << 8;
    }
    /* a signal between fork and local_child = pid would otherwise leave the command running */
    sigset_t forwarded, before;
    sigemptyset(&forwarded);
    sigaddset(&forwarded, SIGINT);
    sigaddset(&forwarded, SIGTERM);
    sigaddset(&forwarded, SIGHUP);
    sigprocmask(SIG_BLOCK, &forwarded, &before);
    pid_t pid = fork();
    if (pid == 0) {
        signal(SIGINT, SIG_DFL);
        signal(SIGTERM, SIG_DFL);
        signal(SIGHUP, SIG_DFL);
        signal(SIGPIPE, SIG_DFL); /* ignored here, but the compiler must get it as if run directly */
        sigprocmask(SIG_SETMASK, &before, NULL);
        if (output) {
            int in = open("/dev/null", O_RDONLY);
            int out = open(output, O_WRONLY | O_TRUNC | O_NOFOLLOW);
            if (in < 0 || out < 0 || dup2(in, 0) < 0 || dup2(out, 1) < 0) {
                fprintf(stderr, "distcc[%d] ERROR: cannot open %s: %s\n", (int) getpid(), output, strerror(errno));
                _exit(110);
            }
            close(in);
            close(out);
        }
        execve(program, argv, envp);
        fprintf(stderr, "distcc[%d] (dcc_execvp) ERROR: failed to exec %s: %s\n", (int) getpid(), program,
                strerror(errno));
        _exit(110);
    }
    local_child = pid > 0 ? pid : 0;
    sigprocmask(SIG_SETMASK, &before, NULL);
    if (pid < 0) {
        free(program);
        return 105 << 8;
    }
    int status;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
    local_child = 0;
    free(program);
    return status;
}

/*
 * The PATH for the compiler a masquerade link runs: the entries after the directory the link was
 * found in (argv0's own directory when it has a slash), as distcc does (CompilerNames.masqueradePath
 * in the agent). Neither the link nor a gcc that looks for itself on PATH to find cc1 meets the link
 * again. NULL if that directory is not on PATH.
 */
static char *masquerade_path(const char *argv0) {
    const char *path = getenv("PATH");
    struct stat own, st;
    if (!path) return NULL;
    int by_directory = strchr(argv0, '/') != NULL;
    if (by_directory) {
        char *copy = strdup(argv0);
        int found = copy && stat(dirname(copy), &own) == 0;
        free(copy);
        if (!found) return NULL;
    }
    for (const char *entry = path;;) {
        const char *end = strchr(entry, ':');
        size_t len = end ? (size_t) (end - entry) : strlen(entry);
        char dir[PATH_MAX], candidate[PATH_MAX];
        snprintf(dir, sizeof dir, "%.*s", (int) len, len ? entry : ".");
        snprintf(candidate, sizeof candidate, "%s/%s", dir, argv0);
        int here = by_directory
                ? len > 0 && stat(dir, &st) == 0 && st.st_dev == own.st_dev && st.st_ino == own.st_ino
                : stat(candidate, &st) == 0 && S_ISREG(st.st_mode) && access(candidate, X_OK) == 0;
        if (here) return strdup(end ? end + 1 : "");
        if (!end) return NULL;
        entry = end + 1;
    }
}

static int exit_status(int wait_status) {
    return WIFSIGNALED(wait_status) ? 128 + WTERMSIG(wait_status) : WEXITSTATUS(wait_status);
}

/* No agent: run the compiler this command names, the way distcc would find it, with one warning. */
static int run_without_agent(int argc, char **argv, const char *why) {
    warn("the jdistcc agent is unavailable (%s); compiling locally", why);
    const char *self = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];
    char **cmd = argv;
    if (strstr(self, "distcc")) {
        if (argc < 2) {
            fprintf(stderr, "distcc: missing option/operand\n");
            return 101;
        }
        const char *first = argv[1];
        const char *dot = strrchr(first, '.');
        /* distcc -c x.c means cc: an option or a source or object first (Filenames.isSource, isObject) */
        static const char *const implied[] = {".c", ".i", ".cc", ".cpp", ".cxx", ".cp", ".c++", ".C", ".ii", ".m",
                                             ".mi", ".mm", ".M", ".mii", ".o", NULL};
        int implicit = first[0] == '-';
        for (int i = 0; dot && !implicit && implied[i]; i++) implicit = !strcmp(dot, implied[i]);
        if (implicit) {
            cmd = calloc((size_t) argc + 1, sizeof *cmd);
            cmd[0] = "cc";
            for (int i = 1; i < argc; i++) cmd[i] = argv[i];
        } else {
            cmd = argv + 1;
        }
    } else {
        cmd = calloc((size_t) argc + 1, sizeof *cmd);
        cmd[0] = (char *) self;
        for (int i = 1; i < argc; i++) cmd[i] = argv[i];
        char *path = masquerade_path(argv[0]);
        if (path) setenv("PATH", path, 1);
    }
    return exit_status(run_here(cmd, environ, NULL));
}

/* ---- one job through the agent ---- */

/* A packet into an in-memory request (see send_job). */
static void add_header(FILE *request, const char *token, uint32_t value) {
    fprintf(request, "%.4s%08x", token, value);
}

static void add_string(FILE *request, const char *token, const char *s) {
    size_t len = strlen(s);
    add_header(request, token, (uint32_t) len);
    fwrite(s, 1, len, request);
}

/* The whole invocation, built in memory and sent with one write: a write per packet would wake the
 * agent a hundred times a job. */
static int send_job(int fd, int argc, char **argv, const char *build) {
    char cwd[PATH_MAX];
    if (!getcwd(cwd, sizeof cwd)) return -1;
    mode_t mask = umask(0);
    umask(mask);
    char *data = NULL;
    size_t size = 0;
    FILE *request = open_memstream(&data, &size);
    if (!request) return -1;
    add_header(request, "JDAG", AGENT_PROTOCOL);
    add_string(request, "BILD", build);
    add_string(request, "CDIR", cwd);
    add_header(request, "UMSK", (uint32_t) mask);
    add_header(request, "ARGC", (uint32_t) argc);
    for (int i = 0; i < argc; i++) add_string(request, "ARGV", argv[i]);
    size_t envc = 0;
    while (environ[envc]) envc++;
    add_header(request, "ENVC", (uint32_t) envc);
    for (size_t i = 0; i < envc; i++) add_string(request, "ENVV", environ[i]);
    add_header(request, "CPID", (uint32_t) getpid());
    int failed = ferror(request);
    if (fclose(request) || failed) {
        free(data);
        return -1;
    }
    int result = write_all(fd, data, size);
    free(data);
    return result;
}

/*
 * Relays the agent's answer. Returns the job's exit status; -1 if the agent went away before the job
 * was done (outputs are only ever renamed into place, so the caller can safely run the job again);
 * -2 if the agent is of another build.
 */
static int relay(int fd) {
    char token[5];
    uint32_t value;
    int local_status = -1; /* the status of a command run here for the agent, once there is one */
    char *output = NULL;   /* where the next command's stdout goes: a helper's (the preprocessor's) */
    for (;;) {
        if (get_header(fd, token, &value)) return local_status >= 0 ? exit_status(local_status) : -1;
        if (!strcmp(token, "HELO")) {
            if (value != 1) return -2;
        } else if (!strcmp(token, "SOUT") || !strcmp(token, "SERR")) {
            char *body = get_body(fd, value);
            if (!body) return -1;
            write_all(!strcmp(token, "SOUT") ? 1 : 2, body, value);
            free(body);
        } else if (!strcmp(token, "LOUT")) {
            free(output);
            if (!(output = get_body(fd, value))) return -1;
        } else if (!strcmp(token, "LOCL")) {
            char **argv = get_vector(fd, "ARGC", "ARGV");
            char **envp = argv ? get_vector(fd, "ENVC", "ENVV") : NULL;
            if (!argv || !argv[0] || !envp) return -1;
            int helper = output != NULL;
            int status = run_here(argv, envp, output);
            free(output);
            output = NULL;
            /* a helper's status is not the job's: if the agent is gone after it, the job is run again */
            if (!helper) local_status = status;
            if (put_header(fd, "STAT", (uint32_t) status)) return helper ? -1 : exit_status(status);
        } else if (!strcmp(token, "EXIT")) {
            return (int) value;
        } else {
            warn("the jdistcc agent sent an unknown packet %s", token);
            return -1;
        }
    }
}

int main(int argc, char **argv) {
    signal(SIGINT, forward_signal);
    signal(SIGTERM, forward_signal);
    signal(SIGHUP, forward_signal);
    signal(SIGPIPE, SIG_IGN);
    char dir[PATH_MAX], lib[PATH_MAX], socket_path[PATH_MAX], build_path[PATH_MAX];
    const char *no_dir = agent_dir(dir, sizeof dir);
    if (no_dir) return run_without_agent(argc, argv, no_dir);
    if (lib_dir(lib, sizeof lib)) return run_without_agent(argc, argv, "cannot find jdistcc's lib directory");
    snprintf(socket_path, sizeof socket_path, "%s/socket", dir);
    snprintf(build_path, sizeof build_path, "%s/agent.build", lib);
    char *build = slurp(build_path);
    if (!build) return run_without_agent(argc, argv, "lib/agent.build is missing: run ./build");
    /* an agent that died with the job: run it again, twice at most; one of another build (HELO 0) lets
     * go of the socket at once, but may not have yet when we call again: wait for that, up to 2 s */
    int deaths = 0, refusals = 0;
    while (deaths < 3 && refusals < 100) {
        int fd = reach_agent(dir, socket_path, lib, build);
        if (fd < 0) return run_without_agent(argc, argv, "it could not be started; see its log in $DISTCC_DIR/agent");
        int status = send_job(fd, argc, argv, build) ? -1 : relay(fd);
        close(fd);
        if (status >= 0) return status;
        if (status == -2) {
            refusals++;
            sleep_ms(20);
        } else {
            deaths++;
        }
    }
    return run_without_agent(argc, argv, "it did not take the job");
}
