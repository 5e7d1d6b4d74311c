/*
 * verdict_words.h -- (being written: issue 23)
 */
#ifndef DANE_VERDICT_WORDS_H
#define DANE_VERDICT_WORDS_H

#endif /* DANE_VERDICT_WORDS_H */
