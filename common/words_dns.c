/*
 * words_dns.c -- (being written: issue 23)
 */
#include "config.h"

#include "words_dns.h"
