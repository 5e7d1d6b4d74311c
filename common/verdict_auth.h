/*
 * verdict_auth.h -- (being written: issue 23)
 */
#ifndef DANE_VERDICT_AUTH_H
#define DANE_VERDICT_AUTH_H

#endif /* DANE_VERDICT_AUTH_H */
