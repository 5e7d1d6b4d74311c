/*
 * verdict_probe.h -- (being written: issue 23)
 */
#ifndef DANE_VERDICT_PROBE_H
#define DANE_VERDICT_PROBE_H

#endif /* DANE_VERDICT_PROBE_H */
