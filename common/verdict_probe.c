/*
 * verdict_probe.c -- (being written: issue 23)
 */
#include "config.h"

#include "verdict_probe.h"
