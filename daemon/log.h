/*
 * log — one line per event on stderr, with the sd-daemon priority prefix
 * ("<3>", "<4>", "<6>", "<7>") so journald keeps the level.
 *
 * Convention: "subsystem: event key=value ...".  Phone numbers go through
 * log_mask_phone(); message bodies are never logged at info level.
 * Thread-safe: each line is written with a single write(2).
 */
#ifndef RAPPEL_LOG_H
#define RAPPEL_LOG_H

#include <stdbool.h>
#include <stddef.h>

enum log_level {
	LOG_LEVEL_ERR = 3,
	LOG_LEVEL_WARN = 4,
	LOG_LEVEL_INFO = 6,
	LOG_LEVEL_DEBUG = 7,
};

/* Lines above this level are dropped.  Default LOG_LEVEL_INFO. */
void log_set_level(enum log_level level);
/* When false (default true) no "<N>" prefix is written: for rappelctl on a tty. */
void log_set_prefix(bool on);

void log_msg(enum log_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
#define log_err(...) log_msg(LOG_LEVEL_ERR, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_LEVEL_WARN, __VA_ARGS__)
#define log_info(...) log_msg(LOG_LEVEL_INFO, __VA_ARGS__)
#define log_debug(...) log_msg(LOG_LEVEL_DEBUG, __VA_ARGS__)

/* Logs at error level and exits(1).  Start-up or broken invariants only. */
_Noreturn void fatal(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Writes a masked copy of an E.164 number into out: "+33612345678" becomes
 * "+336****5678".  Short or odd inputs keep only their last two characters.
 * out must hold at least size bytes; the result is always NUL-terminated.
 */
void log_mask_phone(const char *number, char *out, size_t size);

#endif
