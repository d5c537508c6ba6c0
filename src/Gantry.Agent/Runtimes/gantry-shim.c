/*
 * gantry-shim: the parent of one container's workload, detached from the agent so that the workload
 * outlives it. The protocol (the files it writes, its exit codes) is described in Shim.cs.
 *
 *   gantry-shim DIR LOG OOM STDIN [--tty CONSOLE-SOCKET PID-FILE] [CONFINEMENT] -- ARGV...
 *   CONFINEMENT: --confine READY NETNS PIDNS WORKDIR HOSTNAME UID GID N GROUP... N CGROUP-PROCS-FILE... N NAME=VALUE...
 *                N (HOST CONTAINER ro|rw)...
 *
 * The workload's stdout and stderr are pipes; the shim appends what they carry to LOG in the CRI log
 * format that kubelet reads ("TIME STREAM F|P CONTENT" per line), stamped with the time it was read,
 * so that no output passes through the agent and a restarted agent misses none.
 *
 * With --tty (a container with tty: true) ARGV is a detached runc (run -d --console-socket CONSOLE-SOCKET
 * --pid-file PID-FILE): see run_with_terminal below; with empty CONSOLE-SOCKET and PID-FILE (the process runtime) the
 * shim opens the terminal itself: see run_on_own_terminal.
 *
 * Empty OOM, STDIN or NETNS mean none. Without a confinement ARGV runs as is (runc, for the oci
 * runtime). With one (the process runtime) the child joins the cgroups, enters NETNS, unshares its
 * PID (or enters PIDNS, unless empty: an ephemeral container shares its target's), mount, IPC and
 * cgroup namespaces, and a UTS namespace named HOSTNAME unless HOSTNAME is empty (a host-network
 * pod keeps the host's), and forks the PID namespace's init, which mounts /proc
 * and the bind mounts, changes to WORKDIR (after the mounts, so a working directory inside a mounted
 * volume is the volume's), takes the GROUPs, GID and UID in that order (setuid last, while it may
 * still change the groups; an empty UID keeps the shim's user, and GID and the GROUPs with it)
 * and executes ARGV with exactly the given environment, looked up on that
 * environment's PATH; READY is created once that exec has succeeded, so that a status or an exec
 * right after the start finds the workload (its environment, its command) rather than the init. A read-only bind mount is remounted with MS_RDONLY alone,
 * as util-linux's `mount -o bind,ro` does. Everything happens as system calls in one
 * program: each exec of a helper (setsid, sh, env, nsenter, unshare, mount) would cost the pod's
 * start a few milliseconds.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

/* As env(1): 125 when the shim itself fails, 126 when the command cannot be run, 127 when it is not found. */
enum { EXIT_SETUP = 125, EXIT_CANNOT_RUN = 126, EXIT_NOT_FOUND = 127 };

/* containerd's default max_container_log_line_size: a longer line is split into partial (P) records. */
enum { LOG_LINE_MAX = 16 * 1024 };

/* How long output is still read after the workload exited while something it started holds its stdout open. */
enum { LINGER_MS = 2000 };

struct confinement {
    const char *ready;
    const char *netns;
    const char *pidns; /* empty: a PID namespace of its own; else one to join (an ephemeral container's target's) */
    const char *workdir;
    const char *hostname; /* empty: the host's UTS namespace */
    int set_user;
    uid_t uid;
    gid_t gid;
    int group_count;
    gid_t *groups;
    int cgroup_count;
    char **cgroups;
    char **environment; /* NULL-terminated */
    int mount_count;
    char **mounts; /* host, container, mode triples */
};

struct request {
    const char *dir;
    const char *log;
    const char *oom;
    const char *stdin_fifo;
    const char *console_socket; /* NULL: no terminal */
    const char *pid_file;
    struct confinement *confinement;
    char **argv; /* NULL-terminated */
};

static volatile sig_atomic_t stdin_writer = -1;

/* In the init: the pipe whose closing by a successful exec tells its parent the workload runs; a failure writes to it first. */
static int exec_notice = -1;

/* In the init (or the child, unconfined): make stdin, a terminal's slave, the controlling terminal of a new session. */
static int take_terminal;

static void usage(void)
{
    fputs("usage: gantry-shim DIR LOG OOM STDIN [--tty CONSOLE-SOCKET PID-FILE] [--confine READY NETNS PIDNS WORKDIR HOSTNAME UID GID N GROUP... N FILE... N NAME=VALUE... N (HOST CONTAINER ro|rw)...] -- ARGV...\n",
          stderr);
    exit(2);
}

static int count_at(int argc, char **argv, int i)
{
    if (i >= argc)
        usage();
    char *end;
    long n = strtol(argv[i], &end, 10);
    if (*argv[i] == '\0' || *end != '\0' || n < 0 || n > argc)
        usage();
    return (int)n;
}

/* A uid or gid: a decimal number below 2^32 - 1 (which means "unchanged" to the kernel). */
static unsigned long id_of(const char *text)
{
    char *end;
    errno = 0;
    unsigned long id = strtoul(text, &end, 10);
    if (*text < '0' || *text > '9' || *end != '\0' || errno != 0 || id >= 0xffffffffUL)
        usage();
    return id;
}

static void parse(int argc, char **argv, struct request *request, struct confinement *confinement)
{
    if (argc < 6)
        usage();
    request->dir = argv[1];
    request->log = argv[2];
    request->oom = argv[3];
    request->stdin_fifo = argv[4];
    request->confinement = NULL;
    request->console_socket = NULL;
    int i = 5;
    if (strcmp(argv[i], "--tty") == 0) {
        if (i + 3 >= argc)
            usage();
        request->console_socket = argv[i + 1];
        request->pid_file = argv[i + 2];
        i += 3;
    }
    if (strcmp(argv[i], "--confine") == 0) {
        if (i + 8 > argc)
            usage();
        confinement->ready = argv[i + 1];
        confinement->netns = argv[i + 2];
        confinement->pidns = argv[i + 3];
        confinement->workdir = argv[i + 4];
        confinement->hostname = argv[i + 5];
        confinement->set_user = *argv[i + 6] != '\0';
        confinement->uid = confinement->set_user ? (uid_t)id_of(argv[i + 6]) : 0;
        confinement->gid = confinement->set_user ? (gid_t)id_of(argv[i + 7]) : 0;
        i += 8;
        confinement->group_count = count_at(argc, argv, i);
        if (i + 1 + confinement->group_count > argc)
            usage();
        confinement->groups = calloc((size_t)confinement->group_count + 1, sizeof(gid_t));
        if (confinement->groups == NULL)
            exit(1);
        for (int g = 0; g < confinement->group_count; g++)
            confinement->groups[g] = (gid_t)id_of(argv[i + 1 + g]);
        i += 1 + confinement->group_count;
        confinement->cgroup_count = count_at(argc, argv, i);
        confinement->cgroups = argv + i + 1;
        i += 1 + confinement->cgroup_count;
        int environment_count = count_at(argc, argv, i);
        if (i + 1 + environment_count > argc)
            usage();
        confinement->environment = calloc((size_t)environment_count + 1, sizeof(char *));
        if (confinement->environment == NULL)
            exit(1);
        memcpy(confinement->environment, argv + i + 1, (size_t)environment_count * sizeof(char *));
        i += 1 + environment_count;
        confinement->mount_count = count_at(argc, argv, i);
        confinement->mounts = argv + i + 1;
        i += 1 + 3 * confinement->mount_count;
        request->confinement = confinement;
    }

    if (i >= argc || strcmp(argv[i], "--") != 0 || i + 1 >= argc)
        usage();
    request->argv = argv + i + 1;
}

static void notify_failure(void)
{
    if (exec_notice >= 0 && write(exec_notice, "!", 1) < 0)
        exec_notice = -1;
}

static void fail(const char *what, const char *path)
{
    fprintf(stderr, "gantry-shim: %s %s: %s\n", what, path, strerror(errno));
    notify_failure();
    _exit(EXIT_SETUP);
}

static void on_usr1(int signal_number)
{
    (void)signal_number;
    int saved = errno;
    if (stdin_writer >= 0) {
        close(stdin_writer);
        stdin_writer = -1;
    }
    errno = saved;
}

/* The agent ignores SIGPIPE and a shim may have a handler: the workload starts with every default. */
static void reset_signals(void)
{
    for (int s = 1; s < NSIG; s++)
        signal(s, SIG_DFL);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
}

static void redirect(int target, const char *path, int flags)
{
    int fd = open(path, flags | O_CLOEXEC, 0644);
    if (fd < 0)
        fail("open", path);
    if (dup2(fd, target) < 0)
        fail("dup2", path);
    close(fd);
}

static void write_text(const char *path, const char *text)
{
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        fail("open", path);
    size_t length = strlen(text);
    if (write(fd, text, length) != (ssize_t)length)
        fail("write", path);
    close(fd);
}

static int exit_code(int status)
{
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static int wait_for(pid_t pid)
{
    int status;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR)
            return EXIT_SETUP;
    }
    return exit_code(status);
}

static void execute(char **argv)
{
    execvp(argv[0], argv);
    int error = errno;
    fprintf(stderr, "gantry-shim: exec %s: %s\n", argv[0], strerror(error));
    notify_failure();
    _exit(error == ENOENT ? EXIT_NOT_FOUND : EXIT_CANNOT_RUN);
}

static void become_terminal_session(void)
{
    if (setsid() < 0 || ioctl(STDIN_FILENO, TIOCSCTTY, 0) < 0)
        fail("take the terminal for", "the workload");
}

/* PID 1 of the container's PID namespace: what the container sees, then the workload. */
static void run_init(const struct confinement *c, char **argv)
{
    if (mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0)
        fail("mount proc on", "/proc");
    for (int m = 0; m < c->mount_count; m++) {
        const char *host = c->mounts[3 * m], *target = c->mounts[3 * m + 1], *mode = c->mounts[3 * m + 2];
        if (mount(host, target, NULL, MS_BIND, NULL) < 0)
            fail("bind mount onto", target);
        if (strcmp(mode, "ro") == 0 && mount(NULL, target, NULL, MS_BIND | MS_REMOUNT | MS_RDONLY, NULL) < 0)
            fail("remount read-only", target);
    }
    if (chdir(c->workdir) < 0)
        fail("chdir", c->workdir);
    if (take_terminal)
        become_terminal_session();
    if (c->set_user) {
        /* As runc's fixStdioPermissions: the user may reopen its output (/dev/stdout), which are the shim's pipes. */
        for (int fd = STDOUT_FILENO; fd <= STDERR_FILENO; fd++)
            if (fchown(fd, c->uid, c->gid) < 0 && errno != EINVAL && errno != EPERM)
                fail("chown the output of", argv[0]);
        if (setgroups((size_t)c->group_count, c->groups) < 0)
            fail("setgroups for", argv[0]);
        if (setgid(c->gid) < 0)
            fail("setgid for", argv[0]);
        if (setuid(c->uid) < 0)
            fail("setuid for", argv[0]);
    }
    environ = c->environment;
    execute(argv);
}

/* Joins the container's cgroups and namespaces, forks its init and exits as the init does. */
static void run_confined(const struct confinement *c, char **argv)
{
    char pid[32];
    snprintf(pid, sizeof pid, "%d\n", (int)getpid());
    for (int g = 0; g < c->cgroup_count; g++)
        write_text(c->cgroups[g], pid);
    if (*c->netns != '\0') {
        int netns = open(c->netns, O_RDONLY | O_CLOEXEC);
        if (netns < 0 || setns(netns, CLONE_NEWNET) < 0)
            fail("enter network namespace", c->netns);
        close(netns);
    }
    /* A PID namespace joined, not made, holds the init forked below as one more process beside the target's. */
    int own_pid = *c->pidns == '\0';
    if (!own_pid) {
        int pidns = open(c->pidns, O_RDONLY | O_CLOEXEC);
        if (pidns < 0 || setns(pidns, CLONE_NEWPID) < 0)
            fail("enter PID namespace", c->pidns);
        close(pidns);
    }
    int own_uts = *c->hostname != '\0';
    if (unshare((own_pid ? CLONE_NEWPID : 0) | CLONE_NEWNS | CLONE_NEWIPC | CLONE_NEWCGROUP | (own_uts ? CLONE_NEWUTS : 0)) < 0)
        fail("unshare namespaces for", argv[0]);
    if (own_uts && sethostname(c->hostname, strlen(c->hostname)) < 0)
        fail("set the hostname", c->hostname);
    if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
        fail("make private", "/");
    int notice[2];
    if (pipe2(notice, O_CLOEXEC) < 0)
        fail("create a pipe for", argv[0]);
    pid_t init = fork();
    if (init < 0)
        fail("fork init for", argv[0]);
    if (init == 0) {
        close(notice[0]);
        exec_notice = notice[1];
        run_init(c, argv);
    }
    close(notice[1]);
    char failure;
    ssize_t length;
    while ((length = read(notice[0], &failure, 1)) < 0 && errno == EINTR)
        ;
    close(notice[0]);
    if (length == 0) {
        int ready = open(c->ready, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
        if (ready < 0) {
            kill(init, SIGKILL);
            fail("create", c->ready);
        }
        close(ready);
    }
    _exit(wait_for(init));
}

static void run_child(const struct request *r, int stdout_pipe, int stderr_pipe)
{
    if (stdin_writer >= 0)
        close(stdin_writer);
    reset_signals();
    /* With a terminal the shim, not the child (runc), feeds the workload's stdin. */
    redirect(STDIN_FILENO, *r->stdin_fifo != '\0' && r->console_socket == NULL ? r->stdin_fifo : "/dev/null", O_RDONLY);
    if (dup2(stdout_pipe, STDOUT_FILENO) < 0 || dup2(stderr_pipe, STDERR_FILENO) < 0)
        fail("dup2 the output pipes for", r->argv[0]);
    if (r->confinement != NULL)
        run_confined(r->confinement, r->argv);
    execute(r->argv);
}

/* Field 22 of /proc/PID/stat: the start time in clock ticks after boot, which with the PID names one process. */
static long long start_time(pid_t pid)
{
    char path[64], stat[1024];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    ssize_t length = read(fd, stat, sizeof stat - 1);
    close(fd);
    if (length <= 0)
        return -1;
    stat[length] = '\0';
    char *field = strrchr(stat, ')');
    if (field == NULL)
        return -1;
    /* The command may hold spaces and parentheses, so count from its last closing parenthesis: the 20th space after it opens field 22. */
    for (int skipped = 0; skipped < 20; skipped++) {
        field = strchr(field + 1, ' ');
        if (field == NULL)
            return -1;
    }
    return strtoll(field + 1, NULL, 10);
}

/* Writes DIR/NAME through DIR/NAME.tmp and a rename, so a reader never sees half a record. */
static void publish(const char *dir, const char *name, const char *text, size_t length)
{
    char temporary[4096], final[4096];
    snprintf(temporary, sizeof temporary, "%s/%s.tmp", dir, name);
    snprintf(final, sizeof final, "%s/%s", dir, name);
    int fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        fprintf(stderr, "gantry-shim: creating %s: %s\n", temporary, strerror(errno));
        return;
    }
    int written = write(fd, text, length) == (ssize_t)length;
    int error = errno;
    if (close(fd) < 0 && written) {
        written = 0;
        error = errno;
    }
    if (!written || rename(temporary, final) < 0) {
        fprintf(stderr, "gantry-shim: writing %s: %s\n", final, strerror(written ? errno : error));
        unlink(temporary);
    }
}

static void publish_copy(const char *dir, const char *name, const char *source)
{
    char text[8192];
    int fd = open(source, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        fprintf(stderr, "gantry-shim: reading %s: %s\n", source, strerror(errno));
        return;
    }
    ssize_t length = read(fd, text, sizeof text);
    close(fd);
    if (length >= 0)
        publish(dir, name, text, (size_t)length);
}

/* The log, written a batch of whole records at a time so that a record of one stream never splits one of the other. */
struct log {
    int fd;
    size_t length;
    char batch[64 * 1024];
};

static void flush_log(struct log *log)
{
    size_t done = 0;
    while (done < log->length) {
        ssize_t wrote = write(log->fd, log->batch + done, log->length - done);
        if (wrote < 0 && errno == EINTR)
            continue;
        if (wrote <= 0)
            break; /* A full disk loses output rather than stopping the workload. */
        done += (size_t)wrote;
    }
    log->length = 0;
}

/* One record of the CRI log format: "TIME STREAM TAG CONTENT\n", TAG F for a full line and P for part of a longer one. */
static void log_record(struct log *log, const char *stamp, const char *stream, char tag, const char *content, size_t length)
{
    char prefix[96];
    int n = snprintf(prefix, sizeof prefix, "%s %s %c ", stamp, stream, tag);
    if (log->length + (size_t)n + length + 1 > sizeof log->batch)
        flush_log(log);
    memcpy(log->batch + log->length, prefix, (size_t)n);
    memcpy(log->batch + log->length + n, content, length);
    log->length += (size_t)n + length;
    log->batch[log->length++] = '\n';
}

/* The time of a read as kubelet prints it: RFC 3339 in UTC with nine fractional digits, so that text order is time order. */
static void time_text(char *text, size_t size)
{
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    struct tm utc;
    gmtime_r(&now.tv_sec, &utc);
    size_t n = strftime(text, size, "%Y-%m-%dT%H:%M:%S", &utc);
    snprintf(text + n, size - n, ".%09ldZ", now.tv_nsec);
}

/* One of the workload's output streams: a pipe, and the line it has not finished yet. */
struct output {
    int fd; /* -1 once at end of file */
    const char *name;
    void (*tee)(const char *bytes, size_t length); /* NULL, or what else gets the raw bytes (a terminal's attaches) */
    size_t length;
    char line[LOG_LINE_MAX];
};

/* Copies what the pipe holds into the log; at end of file an unfinished line is logged as full, as containerd does. */
static void copy_output(struct output *o, struct log *log)
{
    ssize_t got;
    while ((got = read(o->fd, o->line + o->length, sizeof o->line - o->length)) < 0 && errno == EINTR)
        ;
    if (got < 0 && errno == EAGAIN)
        return; /* A terminal's master is non-blocking. */
    if (got > 0 && o->tee != NULL)
        o->tee(o->line + o->length, (size_t)got);
    char stamp[48];
    time_text(stamp, sizeof stamp);
    if (got <= 0) {
        if (o->length > 0)
            log_record(log, stamp, o->name, 'F', o->line, o->length);
        close(o->fd);
        o->fd = -1;
        o->length = 0;
    } else {
        char *start = o->line, *end = o->line + o->length + got, *newline;
        while ((newline = memchr(start, '\n', (size_t)(end - start))) != NULL) {
            log_record(log, stamp, o->name, 'F', start, (size_t)(newline - start));
            start = newline + 1;
        }
        o->length = (size_t)(end - start);
        if (o->length == sizeof o->line) {
            log_record(log, stamp, o->name, 'P', o->line, o->length);
            o->length = 0;
        } else if (start != o->line) {
            memmove(o->line, start, o->length);
        }
    }
    flush_log(log);
}

static long long monotonic_ms(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (long long)now.tv_sec * 1000 + now.tv_nsec / 1000000;
}

/*
 * Copies the child's output into the log until it has exited and its pipes are closed; returns its exit code. Something
 * the workload left behind may hold the pipes open: its output is read for LINGER_MS more, then the exit is reported.
 */
static int copy_until_exit(pid_t child, struct output outputs[2], struct log *log)
{
    int pidfd = (int)syscall(SYS_pidfd_open, child, 0); /* -1 on kernels before 5.3: the child is then polled for */
    int code = -1;
    long long linger_until = 0;
    for (;;) {
        int exited = code >= 0;
        struct pollfd fds[3];
        struct output *polled[2];
        nfds_t n = 0;
        for (int i = 0; i < 2; i++) {
            if (outputs[i].fd >= 0) {
                polled[n] = &outputs[i];
                fds[n++] = (struct pollfd){.fd = outputs[i].fd, .events = POLLIN};
            }
        }
        nfds_t streams = n;
        if (exited && streams == 0)
            break;
        if (!exited && pidfd >= 0)
            fds[n++] = (struct pollfd){.fd = pidfd, .events = POLLIN};
        int timeout = exited ? (int)(linger_until - monotonic_ms()) : pidfd >= 0 ? -1 : 100;
        if (exited && timeout <= 0)
            break;
        int ready = poll(fds, n, timeout);
        if (ready < 0 && errno != EINTR) {
            fprintf(stderr, "gantry-shim: poll: %s\n", strerror(errno));
            break;
        }
        for (nfds_t i = 0; ready > 0 && i < streams; i++)
            if (fds[i].revents != 0)
                copy_output(polled[i], log);
        if (!exited && (pidfd < 0 || (ready > 0 && fds[n - 1].revents != 0))) {
            int status;
            if (waitpid(child, &status, WNOHANG) == child) {
                code = exit_code(status);
                linger_until = monotonic_ms() + LINGER_MS;
            }
        }
    }
    for (int i = 0; i < 2; i++) {
        if (outputs[i].fd >= 0)
            close(outputs[i].fd);
    }
    if (pidfd >= 0)
        close(pidfd);
    return code >= 0 ? code : wait_for(child);
}

/*
 * Containers with a terminal (tty: true), as containerd's shim runs them. runc hands over the master side of the
 * container's pseudo-terminal through CONSOLE-SOCKET (SCM_RIGHTS), which it does only when detached (run -d): runc then
 * exits once the container runs, and its init, reparented to the shim as a child subreaper, is the child waited for.
 * The shim holds the master, so the terminal outlives the agent: it copies the stdin FIFO into it, copies what it
 * says into the log as stdout records (a terminal merges stderr into it) and to every connection on DIR/attach.sock
 * (kubectl attach -t, live and unbuffered, where the log holds a line back until it ends), and applies the sizes
 * written to the FIFO DIR/resize as "COLUMNS ROWS" lines with TIOCSWINSZ.
 */
enum { MAX_ATTACHES = 8, INPUT_CHUNK = 4096 };

static int attaches[MAX_ATTACHES];
static int attach_count;

/* An attach that does not keep up loses output rather than stall the workload; the log has it all. */
static void tee_to_attaches(const char *bytes, size_t length)
{
    for (int i = 0; i < attach_count;) {
        if (send(attaches[i], bytes, length, MSG_NOSIGNAL | MSG_DONTWAIT) < 0 && errno != EAGAIN) {
            close(attaches[i]);
            attaches[i] = attaches[--attach_count];
        } else {
            i++;
        }
    }
}

/* A listening socket at PATH (created anew), non-blocking. */
static int listen_at(const char *path)
{
    struct sockaddr_un address = {.sun_family = AF_UNIX};
    if (strlen(path) >= sizeof address.sun_path) {
        errno = ENAMETOOLONG;
        fail("bind", path);
    }
    strcpy(address.sun_path, path);
    unlink(path);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0 || bind(fd, (struct sockaddr *)&address, sizeof address) < 0 || listen(fd, MAX_ATTACHES) < 0)
        fail("listen on", path);
    return fd;
}

/* The terminal master runc sent on the console socket, or -1. runc connected and sent it before it exited. */
static int receive_master(int listener)
{
    int connection = accept4(listener, NULL, NULL, SOCK_CLOEXEC);
    if (connection < 0)
        return -1;
    char name[4096];
    struct iovec data = {.iov_base = name, .iov_len = sizeof name};
    union {
        char buffer[CMSG_SPACE(sizeof(int))];
        struct cmsghdr align;
    } control;
    struct msghdr message = {.msg_iov = &data, .msg_iovlen = 1, .msg_control = control.buffer, .msg_controllen = sizeof control.buffer};
    int master = -1;
    if (recvmsg(connection, &message, MSG_CMSG_CLOEXEC) > 0) {
        struct cmsghdr *header = CMSG_FIRSTHDR(&message);
        if (header != NULL && header->cmsg_level == SOL_SOCKET && header->cmsg_type == SCM_RIGHTS)
            memcpy(&master, CMSG_DATA(header), sizeof master);
    }
    close(connection);
    return master;
}

static pid_t read_pid(const char *path)
{
    char text[32];
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    ssize_t length = read(fd, text, sizeof text - 1);
    close(fd);
    if (length <= 0)
        return -1;
    text[length] = '\0';
    return (pid_t)strtol(text, NULL, 10);
}

/* Applies each whole "COLUMNS ROWS" line the resize FIFO holds; a line cut by the buffer's end waits for its rest. */
static void apply_resizes(int fifo, int master, char *pending, size_t *length, size_t size)
{
    ssize_t got = read(fifo, pending + *length, size - 1 - *length);
    if (got <= 0)
        return;
    *length += (size_t)got;
    pending[*length] = '\0';
    char *start = pending, *newline;
    while ((newline = strchr(start, '\n')) != NULL) {
        unsigned columns, rows;
        if (sscanf(start, "%u %u", &columns, &rows) == 2 && master >= 0) {
            struct winsize size = {.ws_row = (unsigned short)rows, .ws_col = (unsigned short)columns};
            ioctl(master, TIOCSWINSZ, &size);
        }
        start = newline + 1;
    }
    *length = strlen(start);
    memmove(pending, start, *length);
    if (*length == size - 1)
        *length = 0; /* No line is that long: drop the garbage. */
}

/* DIR/attach.sock, listening, and the FIFO DIR/resize: what an attach and its window sizes come through. */
struct terminal_ends {
    int listener;
    int resize;
};

/*
 * Makes the terminal's ends before the start is published: an attach the instant the agent sees the container start
 * finds the socket (its connection waits in the backlog until the relay takes it), not a missing file.
 */
static struct terminal_ends open_terminal_ends(const char *dir)
{
    char path[4096];
    struct terminal_ends ends;
    snprintf(path, sizeof path, "%s/attach.sock", dir);
    ends.listener = listen_at(path);
    snprintf(path, sizeof path, "%s/resize", dir);
    unlink(path);
    if (mkfifo(path, 0600) < 0)
        fail("mkfifo", path);
    ends.resize = open(path, O_RDWR | O_NONBLOCK | O_CLOEXEC); /* also a writer, so it never reads end-of-file */
    if (ends.resize < 0)
        fail("open", path);
    return ends;
}

/*
 * Relays between the terminal and the shim's files until the init exited and the terminal closed (or LINGER_MS after
 * the exit); returns the init's exit code. The terminal is never hung up from here: a tty container's stdin does not
 * end with an attach (see ContainerSpecs), so only the workload's own exit closes it.
 */
static int relay_terminal(pid_t init, int master, int stdin_reader, const char *dir, struct terminal_ends ends, struct log *log)
{
    char path[4096];
    int listener = ends.listener;
    int resize = ends.resize;
    char resize_line[64];
    size_t resize_length = 0;

    static struct output terminal = {.name = "stdout", .tee = tee_to_attaches};
    terminal.fd = master;
    char input[INPUT_CHUNK];
    size_t input_length = 0, input_done = 0;
    int pidfd = (int)syscall(SYS_pidfd_open, init, 0);
    int code = -1;
    long long linger_until = 0;
    for (;;) {
        int exited = code >= 0;
        if (exited && (terminal.fd < 0 || monotonic_ms() >= linger_until))
            break;
        struct pollfd fds[5 + MAX_ATTACHES];
        nfds_t n = 0;
        int at_master = -1, at_stdin = -1, at_pidfd = -1;
        fds[n++] = (struct pollfd){.fd = listener, .events = POLLIN};
        fds[n++] = (struct pollfd){.fd = resize, .events = POLLIN};
        if (terminal.fd >= 0) {
            at_master = (int)n;
            fds[n++] = (struct pollfd){.fd = terminal.fd, .events = POLLIN | (input_done < input_length ? POLLOUT : 0)};
        }
        if (stdin_reader >= 0 && input_done == input_length) {
            at_stdin = (int)n;
            fds[n++] = (struct pollfd){.fd = stdin_reader, .events = POLLIN};
        }
        if (!exited && pidfd >= 0) {
            at_pidfd = (int)n;
            fds[n++] = (struct pollfd){.fd = pidfd, .events = POLLIN};
        }
        nfds_t first_attach = n;
        for (int i = 0; i < attach_count; i++)
            fds[n++] = (struct pollfd){.fd = attaches[i], .events = POLLIN};
        int timeout = exited ? (int)(linger_until - monotonic_ms()) : pidfd >= 0 ? -1 : 100;
        int ready = poll(fds, n, timeout);
        if (ready < 0 && errno != EINTR) {
            fprintf(stderr, "gantry-shim: poll: %s\n", strerror(errno));
            break;
        }
        if (ready > 0) {
            /* Attaches send nothing: readable means gone. From the last, as closing one moves the last into its place. */
            for (nfds_t i = n; i-- > first_attach;) {
                char ignored[256];
                if (fds[i].revents != 0 && recv(fds[i].fd, ignored, sizeof ignored, MSG_DONTWAIT) <= 0) {
                    int k = (int)(i - first_attach);
                    close(attaches[k]);
                    attaches[k] = attaches[--attach_count];
                }
            }
            if (fds[0].revents & POLLIN) {
                int attach = accept4(listener, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
                if (attach >= 0 && attach_count < MAX_ATTACHES)
                    attaches[attach_count++] = attach;
                else if (attach >= 0)
                    close(attach);
            }
            if (fds[1].revents & POLLIN)
                apply_resizes(resize, terminal.fd, resize_line, &resize_length, sizeof resize_line);
            if (at_stdin >= 0 && fds[at_stdin].revents != 0) {
                ssize_t got = read(stdin_reader, input, sizeof input);
                if (got > 0) {
                    input_length = (size_t)got;
                    input_done = 0;
                } else if (got == 0 || errno != EAGAIN) {
                    close(stdin_reader);
                    stdin_reader = -1;
                }
            }
            if (at_master >= 0 && terminal.fd >= 0 && (fds[at_master].revents & POLLOUT)) {
                ssize_t wrote = write(terminal.fd, input + input_done, input_length - input_done);
                if (wrote > 0)
                    input_done += (size_t)wrote;
            }
            if (at_master >= 0 && terminal.fd >= 0 && (fds[at_master].revents & ~POLLOUT) != 0)
                copy_output(&terminal, log);
        }
        if (!exited && (pidfd < 0 || (at_pidfd >= 0 && ready > 0 && fds[at_pidfd].revents != 0))) {
            int status;
            if (waitpid(init, &status, WNOHANG) == init) {
                code = exit_code(status);
                linger_until = monotonic_ms() + LINGER_MS;
            }
        }
    }
    if (terminal.fd >= 0)
        close(terminal.fd);
    for (int i = 0; i < attach_count; i++)
        close(attaches[i]); /* an attach sees the end of the output */
    attach_count = 0;
    snprintf(path, sizeof path, "%s/attach.sock", dir);
    unlink(path);
    close(listener);
    close(resize);
    if (pidfd >= 0)
        close(pidfd);
    return code >= 0 ? code : wait_for(init);
}

/* Starts the container with detached runc, takes its terminal and relays it until the init exits; returns its exit code. */
static int run_with_terminal(const struct request *r, struct log *log)
{
    signal(SIGPIPE, SIG_IGN); /* a write to a departed attach fails rather than kill the shim */
    if (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) < 0)
        fail("become the child subreaper for", r->argv[0]);
    int listener = listen_at(r->console_socket);

    /* runc's own output (its errors) goes to the log, as in the foreground case. */
    static struct output outputs[2] = {{.name = "stdout"}, {.name = "stderr"}};
    int stdout_pipe[2], stderr_pipe[2];
    if (pipe2(stdout_pipe, O_CLOEXEC) < 0 || pipe2(stderr_pipe, O_CLOEXEC) < 0)
        fail("create the output pipes for", r->argv[0]);
    outputs[0].fd = stdout_pipe[0];
    outputs[1].fd = stderr_pipe[0];
    pid_t runc = fork();
    if (runc < 0)
        fail("fork", r->argv[0]);
    if (runc == 0)
        run_child(r, stdout_pipe[1], stderr_pipe[1]);
    close(stdout_pipe[1]);
    close(stderr_pipe[1]);
    int code = copy_until_exit(runc, outputs, log);
    int master = code == 0 ? receive_master(listener) : -1;
    close(listener);
    unlink(r->console_socket);
    if (code != 0)
        return code;

    /* runc has exited, so its init is the shim's child now and its PID cannot have been reused. */
    pid_t init = read_pid(r->pid_file);
    if (master < 0 || init <= 0) {
        fprintf(stderr, "gantry-shim: runc started the container but left no %s\n", master < 0 ? "terminal" : "pid file");
        if (init > 0) {
            kill(init, SIGKILL);
            wait_for(init);
        }
        return EXIT_SETUP;
    }
    int flags = fcntl(master, F_GETFL);
    fcntl(master, F_SETFL, flags | O_NONBLOCK);
    struct terminal_ends ends = open_terminal_ends(r->dir);
    char started[128];
    int length = snprintf(started, sizeof started, "%d %lld %d %lld\n", (int)getpid(), start_time(getpid()), (int)init, start_time(init));
    publish(r->dir, "started", started, (size_t)length);

    /* Another reader beside the shim's writer hold (stdin_writer), so that its end (stdinOnce) reads as end-of-file. */
    int stdin_reader = -1;
    if (*r->stdin_fifo != '\0' && (stdin_reader = open(r->stdin_fifo, O_RDONLY | O_NONBLOCK | O_CLOEXEC)) < 0)
        fail("open", r->stdin_fifo);
    return relay_terminal(init, master, stdin_reader, r->dir, ends, log);
}

/*
 * The process runtime's terminal: no runc to make one, so the shim opens it, and the workload's init makes the slave
 * its controlling terminal (setsid, TIOCSCTTY) before it executes the workload; the shim relays it as above. The
 * child is the shim's own, so no subreaper is needed.
 */
static int run_on_own_terminal(const struct request *r, struct log *log)
{
    signal(SIGPIPE, SIG_IGN); /* a write to a departed attach fails rather than kill the shim */
    int master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
    char slave_path[64];
    if (master < 0 || grantpt(master) < 0 || unlockpt(master) < 0 || ptsname_r(master, slave_path, sizeof slave_path) != 0)
        fail("open a pseudo-terminal for", r->argv[0]);
    int slave = open(slave_path, O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (slave < 0)
        fail("open", slave_path);
    pid_t child = fork();
    if (child < 0)
        fail("fork", r->argv[0]);
    if (child == 0) {
        /* Not left to O_CLOEXEC: the confined child waits for the init without executing, and its copy of the master
           would keep the terminal from hanging up when the shim closes its own. */
        close(master);
        if (stdin_writer >= 0)
            close(stdin_writer);
        reset_signals();
        for (int fd = STDIN_FILENO; fd <= STDERR_FILENO; fd++)
            if (dup2(slave, fd) < 0)
                fail("dup2 the terminal for", r->argv[0]);
        take_terminal = 1;
        if (r->confinement != NULL)
            run_confined(r->confinement, r->argv);
        become_terminal_session();
        execute(r->argv);
    }
    close(slave);
    int flags = fcntl(master, F_GETFL);
    fcntl(master, F_SETFL, flags | O_NONBLOCK);
    struct terminal_ends ends = open_terminal_ends(r->dir);
    char started[128];
    int length = snprintf(started, sizeof started, "%d %lld %d %lld\n", (int)getpid(), start_time(getpid()), (int)child, start_time(child));
    publish(r->dir, "started", started, (size_t)length);
    int stdin_reader = -1;
    if (*r->stdin_fifo != '\0' && (stdin_reader = open(r->stdin_fifo, O_RDONLY | O_NONBLOCK | O_CLOEXEC)) < 0)
        fail("open", r->stdin_fifo);
    return relay_terminal(child, master, stdin_reader, r->dir, ends, log);
}

/* Records the workload's end: the OOM counters, then its exit code, which the agent takes as the last word. */
static void finish(const struct request *r, struct log *log, int code)
{
    close(log->fd);
    if (*r->oom != '\0')
        publish_copy(r->dir, "oom", r->oom);
    char exit_text[16];
    int length = snprintf(exit_text, sizeof exit_text, "%d\n", code);
    publish(r->dir, "exit", exit_text, (size_t)length);
}

int main(int argc, char **argv)
{
    struct request request;
    struct confinement confinement;
    parse(argc, argv, &request, &confinement);

    /* The agent waits for this process; the shim is its child, reparented to init, in a session of its own. */
    pid_t shim = fork();
    if (shim < 0) {
        perror("gantry-shim: fork");
        return 1;
    }
    if (shim > 0)
        return 0;
    setsid();

    char shim_log[4096];
    snprintf(shim_log, sizeof shim_log, "%s/shim.log", request.dir);
    redirect(STDIN_FILENO, "/dev/null", O_RDONLY);
    redirect(STDOUT_FILENO, shim_log, O_WRONLY | O_CREAT | O_APPEND);
    redirect(STDERR_FILENO, shim_log, O_WRONLY | O_CREAT | O_APPEND);

    /* Holding the FIFO open for writing keeps the workload from reading end-of-file until SIGUSR1 lets go. */
    if (*request.stdin_fifo != '\0') {
        int writer = open(request.stdin_fifo, O_RDWR | O_CLOEXEC);
        if (writer < 0)
            fail("open", request.stdin_fifo);
        stdin_writer = writer;
        struct sigaction action = {0};
        action.sa_handler = on_usr1;
        sigemptyset(&action.sa_mask);
        sigaction(SIGUSR1, &action, NULL);
    }

    /* The workload writes into pipes and the shim frames what it reads as CRI log records, each with the time it was read. */
    static struct log log;
    log.fd = open(request.log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (log.fd < 0)
        fail("open", request.log);
    if (request.console_socket != NULL) {
        int code = *request.console_socket != '\0' ? run_with_terminal(&request, &log) : run_on_own_terminal(&request, &log);
        finish(&request, &log, code);
        return 0;
    }
    static struct output outputs[2] = {{.name = "stdout"}, {.name = "stderr"}};
    int stdout_pipe[2], stderr_pipe[2];
    if (pipe2(stdout_pipe, O_CLOEXEC) < 0 || pipe2(stderr_pipe, O_CLOEXEC) < 0)
        fail("create the output pipes for", request.argv[0]);
    outputs[0].fd = stdout_pipe[0];
    outputs[1].fd = stderr_pipe[0];

    pid_t child = fork();
    if (child < 0)
        fail("fork", request.argv[0]);
    if (child == 0)
        run_child(&request, stdout_pipe[1], stderr_pipe[1]);
    close(stdout_pipe[1]);
    close(stderr_pipe[1]);

    /* Read while the child is unreaped, so its PID cannot have been reused. */
    char started[128];
    int length = snprintf(started, sizeof started, "%d %lld %d %lld\n", (int)getpid(), start_time(getpid()), (int)child, start_time(child));
    publish(request.dir, "started", started, (size_t)length);

    finish(&request, &log, copy_until_exit(child, outputs, &log));
    return 0;
}
