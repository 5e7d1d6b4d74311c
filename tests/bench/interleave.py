#!/usr/bin/python3
"""interleave.py -- time commands in interleaved rounds, for tests/bench/bench.sh.

Usage: interleave.py RUNS WARMUP NAME=COMMAND... > JSON

Each round runs every command once, in the order given, so every command
sees the same machine within milliseconds of the others: the speed of this
machine drifts by 20-40 % over a minute, which makes the ratios of commands
timed one after the other (hyperfine's way) meaningless at the 10 % level.
A command is split on blanks (no shell) and started with posix_spawn(); its
wall time runs from the spawn to wait4(), its CPU time is user + system from
wait4()'s rusage (the command's own, not this script's). The first WARMUP
rounds are not counted. Prints one JSON object: for each name the median and
mean wall time, the mean CPU time (seconds), the number of runs and how many
exited non-zero. Exits 1 when a command exits non-zero in a counted round.
"""
import json
import os
import statistics
import sys
import time


def run_once(argv):
    """Run argv once; returns (wall seconds, cpu seconds, exit status)."""
    devnull = os.open(os.devnull, os.O_RDWR)
    try:
        actions = [(os.POSIX_SPAWN_DUP2, devnull, 1), (os.POSIX_SPAWN_DUP2, devnull, 2)]
        t0 = time.monotonic()
        pid = os.posix_spawnp(argv[0], argv, os.environ, file_actions=actions)
        _, status, ru = os.wait4(pid, 0)
        t1 = time.monotonic()
    finally:
        os.close(devnull)
    return t1 - t0, ru.ru_utime + ru.ru_stime, os.waitstatus_to_exitcode(status)


def main():
    if len(sys.argv) < 4:
        sys.exit("usage: interleave.py RUNS WARMUP NAME=COMMAND...")
    runs, warmup = int(sys.argv[1]), int(sys.argv[2])
    cmds = []
    for arg in sys.argv[3:]:
        name, _, command = arg.partition("=")
        cmds.append((name, command.split()))
    wall = {n: [] for n, _ in cmds}
    cpu = {n: [] for n, _ in cmds}
    failed = {n: 0 for n, _ in cmds}
    for i in range(warmup + runs):
        for name, argv in cmds:
            w, c, rc = run_once(argv)
            if i < warmup:
                continue
            wall[name].append(w)
            cpu[name].append(c)
            if rc != 0:
                failed[name] += 1
    out = {}
    for name, _ in cmds:
        out[name] = {
            "median": statistics.median(wall[name]),
            "mean": statistics.mean(wall[name]),
            "cpu": statistics.mean(cpu[name]),
            "runs": len(wall[name]),
            "failed": failed[name],
        }
    json.dump(out, sys.stdout, indent=1)
    print()
    return 1 if any(failed.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
