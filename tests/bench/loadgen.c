/*
 * loadgen.c -- run one command N times, P at a time, as a busy monitoring
 * node would, and report what the runs cost: wall time, checks per second,
 * CPU time per run (user + system, from each child's rusage), the peak RSS of
 * any run, and how many runs did not exit 0.
 *
 * Usage: loadgen RUNS PARALLEL COMMAND [ARGS...]
 * Output (one line, key=value): runs= parallel= wall_s= checks_per_s=
 * cpu_ms_per_run= user_ms_per_run= sys_ms_per_run= peak_rss_kib= not_ok=
 * exit_codes=CODE:COUNT,...  The command's output goes to /dev/null.
 * Exits 0 when every run could be started, 2 on a usage or system error.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static long
number(const char *s, long max)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < 1 || v > max)
		return -1;
	return v;
}

static pid_t
start(char **argv)
{
	pid_t pid = fork();

	if (pid == 0) {
		int fd = open("/dev/null", O_RDWR);

		if (fd >= 0) {
			dup2(fd, 0);
			dup2(fd, 1);
			dup2(fd, 2);
			if (fd > 2)
				close(fd);
		}
		execvp(argv[0], argv);
		_exit(127);
	}
	return pid;
}

int
main(int argc, char **argv)
{
	long runs, par, started = 0, done = 0, not_ok = 0, codes[256] = {0};
	double user = 0, sys = 0, t0, wall;
	long peak = 0, minflt = 0;
	int i, first = 1;

	if (argc < 4 || (runs = number(argv[1], 1000000)) < 0 ||
	    (par = number(argv[2], 1024)) < 0) {
		fprintf(stderr, "usage: loadgen RUNS PARALLEL COMMAND [ARGS...]\n");
		return 2;
	}
	t0 = now();
	while (done < runs) {
		struct rusage ru;
		int status;
		pid_t pid;

		while (started < runs && started - done < par) {
			if (start(argv + 3) < 0) {
				perror("loadgen: fork");
				return 2;
			}
			started++;
		}
		pid = wait4(-1, &status, 0, &ru);
		if (pid < 0) {
			if (errno == EINTR)
				continue;
			perror("loadgen: wait4");
			return 2;
		}
		done++;
		user += (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6;
		sys += (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
		minflt += ru.ru_minflt;
		if (ru.ru_maxrss > peak)
			peak = ru.ru_maxrss;
		if (WIFEXITED(status)) {
			codes[WEXITSTATUS(status)]++;
			if (WEXITSTATUS(status) != 0)
				not_ok++;
		} else {
			codes[255]++;
			not_ok++;
		}
	}
	wall = now() - t0;
	printf("runs=%ld parallel=%ld wall_s=%.3f checks_per_s=%.1f cpu_ms_per_run=%.2f "
	       "user_ms_per_run=%.2f sys_ms_per_run=%.2f minflt_per_run=%.0f peak_rss_kib=%ld "
	       "not_ok=%ld exit_codes=",
	       runs, par, wall, (double)runs / wall, (user + sys) * 1000 / (double)runs,
	       user * 1000 / (double)runs, sys * 1000 / (double)runs, (double)minflt / (double)runs,
	       peak, not_ok);
	for (i = 0; i < 256; i++) {
		if (codes[i] == 0)
			continue;
		printf("%s%d:%ld", first ? "" : ",", i, codes[i]);
		first = 0;
	}
	printf("\n");
	return 0;
}
