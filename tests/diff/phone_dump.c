/*
 * phone_dump — rappel's side of the phone number differential test
 * (phone_diff.py).  Reads one number a line on stdin and writes, for each,
 * "OK<TAB>+E164<TAB>mobile|landline|special" or "ERR<TAB>reason".
 */
#include <stdio.h>
#include <string.h>

#include "phone.h"

int
main(void)
{
	static const char *const kinds[] = { "mobile", "landline", "special" };
	char line[512], out[PHONE_E164_MAX];
	const char *reason;
	enum phone_kind kind;

	while (fgets(line, sizeof(line), stdin) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		if (phone_normalize(line, out, &kind, &reason) == 0)
			printf("OK\t%s\t%s\n", out, kinds[kind]);
		else
			printf("ERR\t%s\n", reason);
	}
	return 0;
}
