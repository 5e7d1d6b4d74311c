/*
 * verdict.h -- the verdict layer of the MX-based plugins in one include: the
 * MX walk, its hosts and their TLSA records (verdict_mx.h) and the
 * authoritative servers (verdict_auth.h).
 */
#ifndef DANE_VERDICT_H
#define DANE_VERDICT_H

#include "verdict_auth.h"
#include "verdict_mx.h"

#endif /* DANE_VERDICT_H */
