/*
 * verdict_words.c -- (being written: issue 23)
 */
#include "config.h"

#include "verdict_words.h"
