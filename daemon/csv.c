/*
 * csv — reading and writing CSV as spreadsheets produce it.  See csv.h.
 *
 * csv_parse() works in four steps, each one pass over the data:
 *   1. refuse what is not text (NUL bytes) or holds nothing;
 *   2. bring the text to UTF-8 (strip a BOM, or convert Windows-1252);
 *   3. detect the delimiter from the first record;
 *   4. split records and fields with a small state machine (struct csv_ctx).
 * Each row's fields live in one allocation: the pointer array followed by
 * the strings, so freeing a row is one free().
 *
 * Choices csv.h leaves open: a line end inside quotes (CR, LF or CRLF)
 * comes out as "\n"; a file with a BOM but ill-formed UTF-8 stays
 * CSV_UTF8_BOM with each bad byte replaced by U+FFFD, as are the five
 * bytes Windows-1252 leaves undefined; a line of only spaces is blank;
 * text after a closing quote ("ab"cd) is kept ("abcd").
 */
#include "csv.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "text.h"

/* U+FFFD REPLACEMENT CHARACTER, for bytes that mean nothing. */
#define CSV_REPLACEMENT "\xEF\xBF\xBD"

/* Where the state machine stands inside the current field. */
enum csv_state {
	CSV_FIELD_START,	/* only spaces or tabs seen in this field */
	CSV_UNQUOTED,		/* inside an unquoted field */
	CSV_QUOTED,		/* inside quotes */
	CSV_QUOTE_SEEN,		/* a quote inside quotes: "" or the end */
	CSV_AFTER_QUOTE,	/* text after the closing quote, kept as is */
};

/* Parser state for step 4. */
struct csv_ctx {
	struct csv_doc	*doc;
	size_t		 rowcap;	/* allocated entries in doc->rows */
	char		 delim;
	enum csv_state	 state;
	size_t		 line;		/* current physical line, 1-based */
	size_t		 rec_line;	/* line where the record started */
	size_t		 quote_line;	/* line where the open quote was */
	bool		 in_record;	/* a character of the record was seen */
	bool		 quoted;	/* the record has a quoted field */
	struct buf	 text;		/* the record's fields, NUL-separated */
	size_t		 field;		/* offset of the current field in text */
	size_t		*offs;		/* offsets of finished fields */
	size_t		 noffs, offcap;
};

static void
csv_err(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
csv_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL || errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

static void *
csv_realloc(void *p, size_t n, size_t size)
{
	if (size != 0 && n > SIZE_MAX / size)
		fatal("csv: out of memory (%zu x %zu bytes)", n, size);
	p = realloc(p, n * size);
	if (p == NULL)
		fatal("csv: out of memory (%zu x %zu bytes)", n, size);
	return p;
}

/*
 * Returns the length (1 to 4) of the well-formed UTF-8 sequence at s,
 * or 0 when it is not one (stray continuation byte, overlong form,
 * surrogate, beyond U+10FFFF, or cut short by the end of the data).
 */
static size_t
csv_utf8_seq(const unsigned char *s, size_t n)
{
	size_t len, i;
	unsigned char lo = 0x80, hi = 0xBF;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xC2 && s[0] <= 0xDF)
		len = 2;
	else if (s[0] >= 0xE0 && s[0] <= 0xEF)
		len = 3;
	else if (s[0] >= 0xF0 && s[0] <= 0xF4)
		len = 4;
	else
		return 0;
	if (n < len)
		return 0;
	if (s[0] == 0xE0)
		lo = 0xA0;
	else if (s[0] == 0xED)
		hi = 0x9F;
	else if (s[0] == 0xF0)
		lo = 0x90;
	else if (s[0] == 0xF4)
		hi = 0x8F;
	if (s[1] < lo || s[1] > hi)
		return 0;
	for (i = 2; i < len; i++)
		if (s[i] < 0x80 || s[i] > 0xBF)
			return 0;
	return len;
}

static bool
csv_utf8_valid(const char *data, size_t len)
{
	const unsigned char *s = (const unsigned char *)data;
	size_t i = 0, n;

	while (i < len) {
		if ((n = csv_utf8_seq(s + i, len - i)) == 0)
			return false;
		i += n;
	}
	return true;
}

/* Copies data to out, each ill-formed byte replaced by U+FFFD. */
static void
csv_utf8_repair(const char *data, size_t len, struct buf *out)
{
	const unsigned char *s = (const unsigned char *)data;
	size_t i = 0, n;

	while (i < len) {
		if ((n = csv_utf8_seq(s + i, len - i)) == 0) {
			buf_puts(out, CSV_REPLACEMENT);
			i++;
		} else {
			buf_append(out, data + i, n);
			i += n;
		}
	}
}

static bool
csv_is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static bool
csv_blank(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (!csv_is_space(s[i]))
			return false;
	return true;
}

/*
 * Counts ';' and ',' outside quotes in the first non-blank record and
 * returns the more frequent, ';' on a tie, or 0 when there is neither.
 */
static char
csv_detect_delimiter(const char *s, size_t len)
{
	size_t i = 0, semi = 0, comma = 0;
	bool inq = false;

	while (i < len && csv_is_space(s[i]))
		i++;
	for (; i < len; i++) {
		if (s[i] == '"')
			inq = !inq;
		else if (inq)
			continue;
		else if (s[i] == '\n' || s[i] == '\r')
			break;
		else if (s[i] == ';')
			semi++;
		else if (s[i] == ',')
			comma++;
	}
	if (semi == 0 && comma == 0)
		return 0;
	return semi >= comma ? ';' : ',';
}

/* Removes spaces and tabs around the current field, in place. */
static void
csv_ctx_trim_field(struct csv_ctx *c)
{
	char *f = c->text.data + c->field;
	size_t n = c->text.len - c->field, lead = 0;

	while (n > 0 && (f[n - 1] == ' ' || f[n - 1] == '\t'))
		n--;
	while (lead < n && (f[lead] == ' ' || f[lead] == '\t'))
		lead++;
	if (lead > 0)
		memmove(f, f + lead, n - lead);
	c->text.len = c->field + n - lead;
	c->text.data[c->text.len] = '\0';
}

static void
csv_ctx_end_field(struct csv_ctx *c)
{
	if (c->text.data == NULL)
		buf_append(&c->text, "", 0);
	csv_ctx_trim_field(c);
	if (c->noffs == c->offcap) {
		c->offcap = c->offcap ? c->offcap * 2 : 16;
		c->offs = csv_realloc(c->offs, c->offcap, sizeof(*c->offs));
	}
	c->offs[c->noffs++] = c->field;
	buf_append(&c->text, "", 1);	/* the field's terminator */
	c->field = c->text.len;
	c->state = CSV_FIELD_START;
}

/* Moves the finished record into doc->rows, one allocation per row. */
static void
csv_ctx_push_row(struct csv_ctx *c)
{
	struct csv_row *row;
	size_t ptrs = c->noffs * sizeof(char *), i;
	char *mem, *strings;

	if (c->doc->nrows == c->rowcap) {
		c->rowcap = c->rowcap ? c->rowcap * 2 : 64;
		c->doc->rows = csv_realloc(c->doc->rows, c->rowcap,
		    sizeof(*c->doc->rows));
	}
	mem = csv_realloc(NULL, ptrs + c->text.len, 1);
	strings = mem + ptrs;
	memcpy(strings, c->text.data, c->text.len);
	row = &c->doc->rows[c->doc->nrows++];
	row->line = c->rec_line;
	row->nfields = c->noffs;
	row->fields = (char **)(void *)mem;
	for (i = 0; i < c->noffs; i++)
		row->fields[i] = strings + c->offs[i];
}

/*
 * Ends the record: a line holding nothing (or only spaces) is skipped,
 * anything else becomes a row, even ";;;".
 */
static void
csv_ctx_end_record(struct csv_ctx *c)
{
	csv_ctx_end_field(c);
	if (c->noffs > 1 || c->quoted || c->text.data[0] != '\0')
		csv_ctx_push_row(c);
	buf_reset(&c->text);
	c->field = 0;
	c->noffs = 0;
	c->in_record = false;
	c->quoted = false;
}

/*
 * Feeds one character of a field: not a line end, not a delimiter outside
 * quotes, not a quote inside quotes (csv_ctx_run() handles those).  A
 * quote opens a quoted field only when nothing but spaces precede it.
 */
static void
csv_ctx_char(struct csv_ctx *c, char ch)
{
	switch (c->state) {
	case CSV_FIELD_START:
		if (ch == '"') {
			c->state = CSV_QUOTED;
			c->quoted = true;
			c->quote_line = c->line;
			return;
		}
		if (ch != ' ' && ch != '\t')
			c->state = CSV_UNQUOTED;
		break;
	case CSV_QUOTE_SEEN:
		if (ch == '"') {
			c->state = CSV_QUOTED;
			break;
		}
		c->state = CSV_AFTER_QUOTE;
		break;
	default:
		break;
	}
	buf_append(&c->text, &ch, 1);
}

/*
 * Handles a line end (CR, LF or CRLF) at s[*i]; *i is left on its last
 * byte.  Inside quotes it becomes "\n" in the field.
 */
static void
csv_ctx_newline(struct csv_ctx *c, const char *s, size_t len, size_t *i)
{
	if (s[*i] == '\r' && *i + 1 < len && s[*i + 1] == '\n')
		(*i)++;
	if (c->state == CSV_QUOTED)
		buf_append(&c->text, "\n", 1);
	else if (c->in_record)
		csv_ctx_end_record(c);
	c->line++;
}

/* Step 4: splits s into rows.  Returns 0, or -1 on an unclosed quote. */
static int
csv_ctx_run(struct csv_ctx *c, const char *s, size_t len)
{
	size_t i;
	bool quoted;

	for (i = 0; i < len; i++) {
		quoted = c->state == CSV_QUOTED;
		if (s[i] == '\r' || s[i] == '\n') {
			csv_ctx_newline(c, s, len, &i);
			continue;
		}
		if (!c->in_record) {
			c->in_record = true;
			c->rec_line = c->line;
		}
		if (s[i] == c->delim && !quoted)
			csv_ctx_end_field(c);
		else if (s[i] == '"' && quoted)
			c->state = CSV_QUOTE_SEEN;
		else
			csv_ctx_char(c, s[i]);
	}
	if (c->state == CSV_QUOTED)
		return -1;
	if (c->in_record)
		csv_ctx_end_record(c);
	return 0;
}

/*
 * Steps 1 and 2: checks data and brings it to UTF-8 in tmp when it must
 * be rewritten.  Sets *text, *len and doc->encoding; returns 0 or -1.
 */
static int
csv_prepare(struct csv_doc *doc, const char *data, size_t len,
    struct buf *tmp, const char **text, size_t *tlen, char *err,
    size_t errlen)
{
	if (len > 0 && memchr(data, '\0', len) != NULL) {
		csv_err(err, errlen, "le fichier contient des données "
		    "binaires, ce n'est pas un CSV");
		return -1;
	}
	doc->encoding = CSV_UTF8;
	if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
		doc->encoding = CSV_UTF8_BOM;
		data += 3;
		len -= 3;
	}
	if (len == 0 || csv_blank(data, len)) {
		csv_err(err, errlen, "le fichier est vide");
		return -1;
	}
	*text = data;
	*tlen = len;
	if (csv_utf8_valid(data, len))
		return 0;
	if (doc->encoding == CSV_UTF8_BOM) {
		csv_utf8_repair(data, len, tmp);
	} else {
		doc->encoding = CSV_WINDOWS_1252;
		buf_reset(tmp);
		if (text_from_cp1252(data, len, tmp) == -1) {
			csv_err(err, errlen, "conversion depuis Windows-1252 "
			    "impossible sur ce système");
			return -1;
		}
	}
	*text = tmp->data;
	*tlen = tmp->len;
	return 0;
}

struct csv_doc *
csv_parse(const char *data, size_t len, char *err, size_t errlen)
{
	struct csv_doc *doc;
	struct csv_ctx c;
	struct buf tmp = { 0 };
	const char *text = NULL;
	size_t tlen = 0;

	csv_err(err, errlen, "%s", "");
	if (data == NULL)
		len = 0;
	if ((doc = calloc(1, sizeof(*doc))) == NULL)
		fatal("csv: out of memory");
	memset(&c, 0, sizeof(c));
	if (csv_prepare(doc, data, len, &tmp, &text, &tlen, err, errlen) == -1)
		goto fail;
	if ((doc->delimiter = csv_detect_delimiter(text, tlen)) == 0) {
		csv_err(err, errlen, "le fichier ne ressemble pas à un tableau "
		    "CSV (aucun séparateur ; ou , sur la première ligne)");
		goto fail;
	}
	c.doc = doc;
	c.delim = doc->delimiter;
	c.line = 1;
	if (csv_ctx_run(&c, text, tlen) == -1) {
		csv_err(err, errlen, "guillemet non fermé à partir de la "
		    "ligne %zu", c.quote_line);
		goto fail;
	}
	buf_free(&c.text);
	free(c.offs);
	buf_free(&tmp);
	return doc;
fail:
	buf_free(&c.text);
	free(c.offs);
	buf_free(&tmp);
	csv_doc_free(doc);
	return NULL;
}

void
csv_doc_free(struct csv_doc *doc)
{
	size_t i;

	if (doc == NULL)
		return;
	for (i = 0; i < doc->nrows; i++)
		free(doc->rows[i].fields);
	free(doc->rows);
	free(doc);
}

/* True when s is a plain number: [+-] then digits, spaces and dots. */
static bool
csv_is_plain_number(const char *s)
{
	bool digit = false;

	if (*s == '+' || *s == '-')
		s++;
	for (; *s != '\0'; s++) {
		if (*s >= '0' && *s <= '9')
			digit = true;
		else if (*s != ' ' && *s != '.')
			return false;
	}
	return digit;
}

static bool
csv_needs_quotes(const char *s, size_t n, char delimiter)
{
	size_t i;

	if (n == 0)
		return false;
	if (s[0] == ' ' || s[0] == '\t' || s[n - 1] == ' ' ||
	    s[n - 1] == '\t')
		return true;
	for (i = 0; i < n; i++)
		if (s[i] == delimiter || s[i] == '"' || s[i] == '\r' ||
		    s[i] == '\n')
			return true;
	return false;
}

void
csv_write_field(struct buf *out, const char *field, char delimiter)
{
	const char *p;
	size_t n;
	bool quote, guard;

	if (field == NULL)
		field = "";
	n = strlen(field);
	guard = field[0] != '\0' && strchr("=+-@\t\r", field[0]) != NULL &&
	    !csv_is_plain_number(field);
	quote = csv_needs_quotes(field, n, delimiter);
	if (quote)
		buf_putc(out, '"');
	if (guard)
		buf_putc(out, '\'');
	if (!quote) {
		buf_append(out, field, n);
		return;
	}
	for (p = field; *p != '\0'; p++) {
		if (*p == '"')
			buf_putc(out, '"');
		buf_putc(out, *p);
	}
	buf_putc(out, '"');
}
