/*
 * csv — reading and writing CSV as spreadsheets produce it.  Pure logic.
 *
 * Reading accepts what Excel and LibreOffice export: ';' or ',' as the
 * separator (detected from the first record, outside quotes), UTF-8 with
 * or without a BOM, or Windows-1252 (detected: any byte sequence that is
 * not valid UTF-8 means Windows-1252, converted with iconv), CRLF or LF
 * line ends, quoted fields with "" escapes and embedded newlines.
 * All fields come out as UTF-8, with surrounding spaces trimmed.
 */
#ifndef RAPPEL_CSV_H
#define RAPPEL_CSV_H

#include <stddef.h>

#include "buf.h"

enum csv_encoding {
	CSV_UTF8,
	CSV_UTF8_BOM,
	CSV_WINDOWS_1252,
};

struct csv_row {
	size_t line;		/* 1-based line of the file where the record starts */
	size_t nfields;
	char **fields;		/* nfields NUL-terminated UTF-8 strings */
};

struct csv_doc {
	char delimiter;		/* ';' or ',' */
	enum csv_encoding encoding;
	size_t nrows;		/* records, header included, blank lines skipped */
	struct csv_row *rows;
};

/*
 * Parses data (len bytes, not necessarily NUL-terminated).  Returns a
 * document the caller frees with csv_doc_free(), or NULL when the input
 * is not CSV at all (empty, contains NUL bytes, an unterminated quote at
 * the end, or a first record with a single field and no separator); then
 * a French reason is written to err (always NUL-terminated when errlen>0).
 * A record with a different number of fields than the header is kept as
 * is: it is the caller's business to report it with its line.
 */
struct csv_doc *csv_parse(const char *data, size_t len, char *err, size_t errlen);

/* Frees doc and everything in it.  csv_doc_free(NULL) does nothing. */
void csv_doc_free(struct csv_doc *doc);

/*
 * Appends one field to out, quoted when it holds the delimiter, a quote,
 * CR or LF, or leading/trailing spaces.  A field starting with = + - @
 * TAB or CR is prefixed with a single quote so that a spreadsheet does not
 * run it as a formula, unless the whole field is a plain number or phone
 * number (only digits, spaces and dots after an optional leading + or -).
 * The caller writes delimiters and "\r\n" between fields and rows.
 */
void csv_write_field(struct buf *out, const char *field, char delimiter);

#endif
