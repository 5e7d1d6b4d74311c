/*
 * loadgen.c -- run one command N times, P at a time, as a busy monitoring
 * node would, and report what the runs cost: wall time, checks per second,
 * CPU time per run (user + system, from each child's rusage), the peak RSS of
 * any run, and how many runs did not exit 0.
 *
 * Usage: loadgen RUNS PARALLEL COMMAND [ARGS...]
 *        loadgen -f LIST PARALLEL    (one run per line of LIST: a command and
 *                                     its arguments, separated by blanks)
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

/*
 * The runs of LIST: one argv per non-empty line, words split at blanks (the
 * file's text is kept and cut in place). Returns the number of runs, 0 on a
 * read error, an empty file or out of memory.
 */
static long
read_list(const char *path, char ****runs)
{
	FILE *fp = fopen(path, "r");
	char *text = NULL, *line, *save = NULL;
	size_t size = 0, len;
	long n = 0, cap = 0;
	char ***v = NULL;

	if (fp == NULL)
		return 0;
	len = getdelim(&text, &size, '\0', fp) > 0 ? strlen(text) : 0;
	fclose(fp);
	for (line = len ? strtok_r(text, "\n", &save) : NULL; line != NULL;
	     line = strtok_r(NULL, "\n", &save)) {
		char **argv = NULL, *word, *wsave = NULL;
		size_t argc = 0;

		for (word = strtok_r(line, " \t", &wsave); word != NULL;
		     word = strtok_r(NULL, " \t", &wsave)) {
			char **a = realloc(argv, (argc + 2) * sizeof(*argv));

			if (a == NULL)
				return 0;
			argv = a;
			argv[argc++] = word;
			argv[argc] = NULL;
		}
		if (argc == 0)
			continue;
		if (n == cap) {
			char ***w = realloc(v, (size_t)(cap = cap ? cap * 2 : 1024) * sizeof(*v));

			if (w == NULL)
				return 0;
			v = w;
		}
		v[n++] = argv;
	}
	*runs = v;
	return n;
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
	char ***list = NULL;
	int i, first = 1;

	if (argc == 4 && strcmp(argv[1], "-f") == 0) {
		runs = read_list(argv[2], &list);
		par = number(argv[3], 1024);
		if (runs < 1) {
			fprintf(stderr, "loadgen: no runs in %s\n", argv[2]);
			return 2;
		}
	} else if (argc < 4 || (runs = number(argv[1], 1000000)) < 0) {
		par = -1;
	} else {
		par = number(argv[2], 1024);
	}
	if (par < 0) {
		fprintf(stderr, "usage: loadgen RUNS PARALLEL COMMAND [ARGS...]\n"
				"       loadgen -f LIST PARALLEL\n");
		return 2;
	}
	t0 = now();
	while (done < runs) {
		struct rusage ru;
		int status;
		pid_t pid;

		while (started < runs && started - done < par) {
			if (start(list != NULL ? list[started] : argv + 3) < 0) {
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
