/*
 * verdict_resolver.c -- (being written: issue 23)
 */
#include "config.h"

#include "verdict_resolver.h"
