/*
 * verdict_resolver.h -- (being written: issue 23)
 */
#ifndef DANE_VERDICT_RESOLVER_H
#define DANE_VERDICT_RESOLVER_H

#endif /* DANE_VERDICT_RESOLVER_H */
