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
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
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

static int put_body(int fd, const char *token, const char *data, size_t len) {
    return put_header(fd, token, (uint32_t) len) || write_all(fd, data, len);
}

static int put_string(int fd, const char *token, const char *s) {
    return put_body(fd, token, s, strlen(s));
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

static int distcc_dir(char *out, size_t size) {
    const char *d = getenv("DISTCC_DIR");
    if (d && *d) return snprintf(out, size, "%s", d) >= (int) size ? -1 : 0;
    const char *home = getenv("HOME");
    if (!home || !*home) return -1;
    if (snprintf(out, size, "%s/.distcc", home) >= (int) size) return -1;
    mkdir(out, 0777); /* as distcc does for the default directory; DISTCC_DIR must exist already */
    return 0;
}

/* $DISTCC_DIR/agent: created 0700, and refused unless it is a directory of ours that nobody else can enter. */
static int agent_dir(char *out, size_t size) {
    char base[PATH_MAX];
    if (distcc_dir(base, sizeof base) || snprintf(out, size, "%s/agent", base) >= (int) size) return -1;
    if (mkdir(out, 0700) && errno != EEXIST) return -1;
    struct stat st;
    if (lstat(out, &st) || !S_ISDIR(st.st_mode) || st.st_uid != getuid() || (st.st_mode & 077)) {
        warn("%s is not a private directory of this user (mode must be 0700); not using the agent", out);
        return -1;
    }
    return 0;
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

static int connect_agent(const char *socket_path) {
    struct sockaddr_un addr = {.sun_family = AF_UNIX};
    if (strlen(socket_path) >= sizeof addr.sun_path) return -1;
    strcpy(addr.sun_path, socket_path);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    if (connect(fd, (struct sockaddr *) &addr, sizeof addr)) {
        close(fd);
        return -1;
    }
    return fd;
}

/* Starts the agent detached: new session, stdio on /dev/null, the command from lib/agent.cmd. */
static int spawn_agent(const char *lib, const char *dir, const char *build) {
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/agent.cmd", lib);
    char *cmd = slurp(path);
    if (!cmd) return -1;
    char *args[256];
    int n = 0;
    for (char *line = strtok(cmd, "\n"); line && n < 250; line = strtok(NULL, "\n")) args[n++] = line;
    args[n++] = "--dir";
    args[n++] = (char *) dir;
    args[n++] = "--build";
    args[n++] = (char *) build;
    args[n] = NULL;
    pid_t pid = fork();
    if (pid < 0) return -1;
    if (pid == 0) {
        setsid();
        if (fork() != 0) _exit(0);
        int null = open("/dev/null", O_RDWR);
        dup2(null, 0);
        dup2(null, 1);
        dup2(null, 2);
        if (chdir("/")) _exit(127);
        execv(args[0], args);
        _exit(127);
    }
    int status;
    waitpid(pid, &status, 0);
    free(cmd);
    return 0;
}

static void sleep_ms(long ms) {
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) && errno == EINTR) {}
}

/* Connects to a running agent, or starts one; one starter at a time, however many jobs begin at once. */
static int reach_agent(const char *dir, const char *socket_path, const char *lib, const char *build) {
    int fd = connect_agent(socket_path);
    if (fd >= 0) return fd;
    char lock_path[PATH_MAX];
    snprintf(lock_path, sizeof lock_path, "%s/start.lock", dir);
    int lock = open(lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (lock < 0 || flock(lock, LOCK_EX)) {
        if (lock >= 0) close(lock);
        return -1;
    }
    fd = connect_agent(socket_path);
    if (fd < 0 && spawn_agent(lib, dir, build) == 0) {
        for (long waited = 0; fd < 0 && waited < START_WAIT_MS; waited += 20) {
            sleep_ms(20);
            fd = connect_agent(socket_path);
        }
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
        if (!strncmp(*e, "PATH=", 5)) path = *e + 5;
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

/* Runs argv with envp, inheriting stdio; returns its wait status. */
static int run_here(char **argv, char **envp) {
    char *program = find_program(argv[0], envp);
    if (!program) {
        fprintf(stderr, "distcc[%d] (dcc_execvp) ERROR: failed to exec %s: No such file or directory\n",
                (int) getpid(), argv[0]);
        return 110 << 8;
    }
    pid_t pid = fork();
    if (pid < 0) return 105 << 8;
    if (pid == 0) {
        signal(SIGINT, SIG_DFL);
        signal(SIGTERM, SIG_DFL);
        signal(SIGHUP, SIG_DFL);
        execve(program, argv, envp);
        fprintf(stderr, "distcc[%d] (dcc_execvp) ERROR: failed to exec %s: %s\n", (int) getpid(), program,
                strerror(errno));
        _exit(110);
    }
    local_child = pid;
    int status;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
    local_child = 0;
    free(program);
    return status;
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
        int implicit = first[0] == '-' || (dot && (!strcmp(dot, ".c") || !strcmp(dot, ".cc") || !strcmp(dot, ".cpp")
                || !strcmp(dot, ".cxx") || !strcmp(dot, ".C") || !strcmp(dot, ".i") || !strcmp(dot, ".ii")
                || !strcmp(dot, ".o") || !strcmp(dot, ".m") || !strcmp(dot, ".mm")));
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
    }
    return exit_status(run_here(cmd, environ));
}

/* ---- one job through the agent ---- */

static int send_job(int fd, int argc, char **argv, const char *build) {
    char cwd[PATH_MAX];
    if (!getcwd(cwd, sizeof cwd)) return -1;
    mode_t mask = umask(0);
    umask(mask);
    size_t envc = 0;
    while (environ[envc]) envc++;
    if (put_header(fd, "JDAG", AGENT_PROTOCOL) || put_string(fd, "BILD", build) || put_string(fd, "CDIR", cwd)
        || put_header(fd, "UMSK", (uint32_t) mask) || put_header(fd, "ARGC", (uint32_t) argc)) return -1;
    for (int i = 0; i < argc; i++) {
        if (put_string(fd, "ARGV", argv[i])) return -1;
    }
    if (put_header(fd, "ENVC", (uint32_t) envc)) return -1;
    for (size_t i = 0; i < envc; i++) {
        if (put_string(fd, "ENVV", environ[i])) return -1;
    }
    return 0;
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
    for (;;) {
        if (get_header(fd, token, &value)) return local_status >= 0 ? exit_status(local_status) : -1;
        if (!strcmp(token, "HELO")) {
            if (value != 1) return -2;
        } else if (!strcmp(token, "SOUT") || !strcmp(token, "SERR")) {
            char *body = get_body(fd, value);
            if (!body) return -1;
            write_all(!strcmp(token, "SOUT") ? 1 : 2, body, value);
            free(body);
        } else if (!strcmp(token, "LOCL")) {
            char **argv = get_vector(fd, "ARGC", "ARGV");
            char **envp = argv ? get_vector(fd, "ENVC", "ENVV") : NULL;
            if (!argv || !argv[0] || !envp) return -1;
            local_status = run_here(argv, envp);
            if (put_header(fd, "STAT", (uint32_t) local_status)) return exit_status(local_status);
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
    if (agent_dir(dir, sizeof dir)) return run_without_agent(argc, argv, "no usable $DISTCC_DIR/agent directory");
    if (lib_dir(lib, sizeof lib)) return run_without_agent(argc, argv, "cannot find jdistcc's lib directory");
    snprintf(socket_path, sizeof socket_path, "%s/socket", dir);
    snprintf(build_path, sizeof build_path, "%s/agent.build", lib);
    char *build = slurp(build_path);
    if (!build) return run_without_agent(argc, argv, "lib/agent.build is missing: run ./build");
    for (int attempt = 0; attempt < 3; attempt++) {
        int fd = reach_agent(dir, socket_path, lib, build);
        if (fd < 0) return run_without_agent(argc, argv, "it could not be started; see its log in $DISTCC_DIR/agent");
        if (send_job(fd, argc, argv, build)) {
            close(fd);
            continue;
        }
        int status = relay(fd);
        close(fd);
        if (status >= 0) return status;
        if (status == -2) sleep_ms(50); /* the old agent is letting go of the socket; start ours */
    }
    return run_without_agent(argc, argv, "it did not take the job");
}
