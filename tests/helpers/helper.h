/*
 * helper.h -- what the lab's helper servers share (tests/helpers/): their
 * listening address and their pid file.
 */
#ifndef DANE_TEST_HELPER_H
#define DANE_TEST_HELPER_H

#include <sys/socket.h>

/** A port number (decimal, 0-65535), or -1 when s is not one. */
long helper_parse_port(const char *s);

/**
 * Fill ss and len from an IPv4 or IPv6 literal and a port (0-65535).
 * Returns 0, or -1 when either is not one.
 */
int helper_parse_addr(const char *addr, long port, struct sockaddr_storage *ss, socklen_t *len);

/** Write this process's pid to path (through path.tmp and rename()). Returns 0 or -1. */
int helper_write_pidfile(const char *path);

#endif
