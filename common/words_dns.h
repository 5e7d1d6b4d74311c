/*
 * words_dns.h -- (being written: issue 23)
 */
#ifndef DANE_WORDS_DNS_H
#define DANE_WORDS_DNS_H

#endif /* DANE_WORDS_DNS_H */
