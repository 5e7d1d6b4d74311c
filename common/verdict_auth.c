/*
 * verdict_auth.c -- (being written: issue 23)
 */
#include "config.h"

#include "verdict_auth.h"
