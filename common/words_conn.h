/*
 * words_conn.h -- (being written: issue 23)
 */
#ifndef DANE_WORDS_CONN_H
#define DANE_WORDS_CONN_H

#endif /* DANE_WORDS_CONN_H */
