/*
 * words_conn.c -- (being written: issue 23)
 */
#include "config.h"

#include "words_conn.h"
