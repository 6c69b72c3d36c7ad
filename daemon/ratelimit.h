/*
 * ratelimit — counts failures per key (an address, a login) in a sliding
 * window and blocks a key that failed too often.  Pure logic, in memory,
 * time passed in.  Not thread-safe: its owner serialises the calls (the
 * HTTP threads hold app->login_lock).
 *
 * A key is blocked once it has max_failures failures less than window
 * seconds apart; it stays blocked for block seconds after the last one.
 * A success clears the key.  When the table is full the entry that was
 * touched longest ago is reused.
 */
#ifndef RAPPEL_RATELIMIT_H
#define RAPPEL_RATELIMIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ratelimit;

/* Returns a new table; the caller frees it with ratelimit_free(). */
struct ratelimit *ratelimit_new(size_t slots, int max_failures, int window, int block);
void ratelimit_free(struct ratelimit *rl);

/* True when key is blocked at now; *retry_after gets the seconds left. */
bool ratelimit_blocked(struct ratelimit *rl, const char *key, int64_t now, int *retry_after);
void ratelimit_fail(struct ratelimit *rl, const char *key, int64_t now);
void ratelimit_success(struct ratelimit *rl, const char *key);

#endif
