/*
 * check_intent — understanding SMS replies: the examples of the issue,
 * the labelled corpus tests/data/replies.tsv, the corpus
 * tests/data/replies_blind_tune.tsv written by someone who never saw the
 * rules, and hostile input.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "intent.h"
#include "test_main.h"

#define INTENT_TEST_N (INTENT_WHO + 1)

struct intent_case {
	const char *text;
	enum intent want;
};

/* Every example quoted in the issue "Replies: understand what families answer". */
static const struct intent_case intent_issue_cases[] = {
	{ "Oui", INTENT_YES },
	{ "oui merci", INTENT_YES },
	{ "OUI !", INTENT_YES },
	{ "ouiii", INTENT_YES },
	{ "wi", INTENT_YES },
	{ "ok je viens", INTENT_YES },
	{ "d'accord", INTENT_YES },
	{ "d’accord", INTENT_YES },
	{ "1", INTENT_YES },
	{ "👍", INTENT_YES },
	{ "non", INTENT_NO },
	{ "nn", INTENT_NO },
	{ "Non désolé", INTENT_NO },
	{ "je peux pas", INTENT_NO },
	{ "2", INTENT_NO },
	{ "STOP", INTENT_STOP },
	{ "Stop.", INTENT_STOP },
	{ "arrêt", INTENT_STOP },
	{ "stop sms", INTENT_STOP },
	{ "je ne veux plus de sms", INTENT_STOP },
	{ "START", INTENT_START },
	{ "AIDE", INTENT_HELP },
	{ "?", INTENT_HELP },
	{ "yes", INTENT_YES },
	{ "no", INTENT_NO },
	{ "stop", INTENT_STOP },
	{ "start", INTENT_START },
	{ "help", INTENT_HELP },
	{ "نعم", INTENT_YES },
	{ "لا", INTENT_NO },
	{ "oui mais je serai en retard", INTENT_OTHER },
	{ "non pas stop", INTENT_OTHER },
	{ "c'est où ?", INTENT_OTHER },
};

/* Rules of the brief: negations, questions, numbers, scripts. */
static const struct intent_case intent_rule_cases[] = {
	{ "je veux plus recevoir", INTENT_STOP },
	{ "arrêtez de m'envoyer", INTENT_STOP },
	{ "je suis au stop de bus", INTENT_OTHER },
	{ "pas stop", INTENT_OTHER },
	{ "non stop", INTENT_OTHER },
	{ "je ne peux pas stopper", INTENT_OTHER },
	{ "oui ?", INTENT_OTHER },
	{ "ok mais", INTENT_OTHER },
	{ "oui quand", INTENT_OTHER },
	{ "peut-être", INTENT_OTHER },
	{ "je sais pas", INTENT_OTHER },
	{ "oui non", INTENT_OTHER },
	{ "stop oui", INTENT_OTHER },
	{ "aide ?", INTENT_HELP },
	{ "١", INTENT_YES },
	{ "٢", INTENT_NO },
	{ "3", INTENT_OTHER },
	{ "11", INTENT_OTHER },
	{ "12", INTENT_OTHER },
	{ "nonnn", INTENT_NO },
	{ "OKKK", INTENT_YES },
	{ "👎", INTENT_NO },
	{ "❌", INTENT_NO },
	{ "✅", INTENT_YES },
	{ "👍🏽", INTENT_YES },
	{ "🙂", INTENT_OTHER },
	{ "😡", INTENT_OTHER },
	{ "oui 😡", INTENT_OTHER },
	{ "merci", INTENT_OTHER },
	{ "ايوه", INTENT_YES },
	{ "أيوة", INTENT_YES },
	{ "اه", INTENT_YES },
	{ "توقف", INTENT_STOP },
	{ "إن شاء الله", INTENT_OTHER },
	{ "Oui\xC2\xA0!", INTENT_YES },		/* no-break space */
	{ "Oui\xCC\x81", INTENT_YES },		/* decomposed accent */
	{ "re\xCC\x81inscription", INTENT_START },
	{ "je veux recevoir à nouveau les sms", INTENT_START },
	{ "info", INTENT_HELP },
	/* a hedge goes with coming only, leaning phrases with their intent */
	{ "je viens inchallah", INTENT_YES },
	{ "je ne viendrai pas inchallah", INTENT_OTHER },
	{ "J'arrive", INTENT_OTHER },
	{ "oui j'arrive", INTENT_YES },
	{ "non j'arrive", INTENT_OTHER },
	{ "non je travaille", INTENT_NO },
	{ "oui je travaille", INTENT_OTHER },
	{ "j'ai rdv chez le dentiste", INTENT_OTHER },
	/* a signature is a capitalised word the table does not know */
	{ "Non, Mme Dupont", INTENT_NO },
	{ "c'est Sami, je viens", INTENT_YES },
	{ "c'est sami, je viens", INTENT_OTHER },
	{ "C'est Sami", INTENT_OTHER },
	{ "Mme Dupont ?", INTENT_OTHER },
	{ "C'est Combien ?", INTENT_OTHER },
	/* other alphabets' accents, and the stop sign */
	{ "Hayır", INTENT_NO },
	{ "Nu mai trimiteți mesaje", INTENT_STOP },
	{ "🛑", INTENT_STOP },
	{ "oui 🛑", INTENT_OTHER },
};

static void
intent_expect_cases(const struct intent_case *c, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		enum intent got = intent_classify(c[i].text);

		ck_assert_msg(got == c[i].want, "\"%s\": got %s, want %s", c[i].text,
		    intent_name(got), intent_name(c[i].want));
	}
}

START_TEST(intent_test_names)
{
	ck_assert_str_eq(intent_name(INTENT_OTHER), "other");
	ck_assert_str_eq(intent_name(INTENT_YES), "yes");
	ck_assert_str_eq(intent_name(INTENT_NO), "no");
	ck_assert_str_eq(intent_name(INTENT_STOP), "stop");
	ck_assert_str_eq(intent_name(INTENT_START), "start");
	ck_assert_str_eq(intent_name(INTENT_HELP), "help");
	ck_assert_str_eq(intent_name((enum intent)42), "other");
}
END_TEST

START_TEST(intent_test_issue)
{
	intent_expect_cases(intent_issue_cases,
	    sizeof(intent_issue_cases) / sizeof(intent_issue_cases[0]));
}
END_TEST

START_TEST(intent_test_rules)
{
	intent_expect_cases(intent_rule_cases,
	    sizeof(intent_rule_cases) / sizeof(intent_rule_cases[0]));
}
END_TEST

/* The intent named s, or -1. */
static int
intent_test_parse_label(const char *s)
{
	for (int i = 0; i < INTENT_TEST_N; i++)
		if (strcmp(s, intent_name((enum intent)i)) == 0)
			return i;
	return -1;
}

/* Counts of the corpus: m[label][got]. */
struct intent_confusion {
	int m[INTENT_TEST_N][INTENT_TEST_N];
	int lines;
};

/*
 * Reads the labelled corpus name (a file of tests/data) into c, printing
 * every misclassified line.
 */
static void
intent_test_read_corpus(const char *name, struct intent_confusion *c)
{
	char path[1024], *line = NULL, *tab;
	size_t cap = 0;
	ssize_t len;
	FILE *f;
	int label, got, lineno = 0;

	snprintf(path, sizeof(path), "%s/%s", test_data_dir(), name);
	f = fopen(path, "r");
	ck_assert_msg(f != NULL, "cannot open %s", path);
	memset(c, 0, sizeof(*c));
	while ((len = getline(&line, &cap, f)) != -1) {
		lineno++;
		while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		tab = strchr(line, '\t');
		ck_assert_msg(tab != NULL, "%s:%d: no tab", name, lineno);
		*tab = '\0';
		if (lineno == 1) {
			ck_assert_str_eq(line, "label");
			continue;
		}
		label = intent_test_parse_label(line);
		ck_assert_msg(label >= 0, "%s:%d: bad label %s", name, lineno, line);
		got = (int)intent_classify(tab + 1);
		if (got != label)
			printf("intent: %s:%d want %s got %s: %s\n", name, lineno, line,
			    intent_name((enum intent)got), tab + 1);
		c->m[label][got]++;
		c->lines++;
	}
	free(line);
	fclose(f);
}

/* Replies labelled anything but i and classified i. */
static int
intent_test_false(const struct intent_confusion *c, enum intent i)
{
	int n = 0;

	for (int j = 0; j < INTENT_TEST_N; j++)
		if (j != (int)i)
			n += c->m[j][i];
	return n;
}

/* Prints precision and recall per label, and the overall accuracy. */
static void
intent_test_print_scores(const char *name, const struct intent_confusion *c)
{
	int right = 0;

	printf("intent: %s\n", name);
	printf("intent: %-6s %5s %5s %9s %7s\n", "label", "lines", "found", "precision",
	    "recall");
	for (int i = 0; i < INTENT_TEST_N; i++) {
		int labelled = 0, predicted = 0;

		for (int j = 0; j < INTENT_TEST_N; j++) {
			labelled += c->m[i][j];
			predicted += c->m[j][i];
		}
		right += c->m[i][i];
		printf("intent: %-6s %5d %5d %8.1f%% %6.1f%%\n", intent_name((enum intent)i),
		    labelled, predicted,
		    predicted ? 100.0 * c->m[i][i] / predicted : 100.0,
		    labelled ? 100.0 * c->m[i][i] / labelled : 100.0);
	}
	printf("intent: accuracy %d/%d = %.1f%%\n", right, c->lines,
	    c->lines ? 100.0 * right / c->lines : 0.0);
	fflush(stdout);
}

START_TEST(intent_test_corpus)
{
	static const enum intent must_find[] = { INTENT_YES, INTENT_NO, INTENT_STOP };
	struct intent_confusion c;
	int false_stop, false_yes;

	intent_test_read_corpus("replies.tsv", &c);
	intent_test_print_scores("replies.tsv", &c);
	ck_assert_int_ge(c.lines, 320);
	for (size_t k = 0; k < sizeof(must_find) / sizeof(must_find[0]); k++) {
		enum intent i = must_find[k];
		int labelled = 0;

		for (int j = 0; j < INTENT_TEST_N; j++)
			labelled += c.m[i][j];
		ck_assert_msg(c.m[i][i] == labelled, "%s: %d of %d found", intent_name(i),
		    c.m[i][i], labelled);
	}
	false_stop = intent_test_false(&c, INTENT_STOP);
	false_yes = intent_test_false(&c, INTENT_YES);
	ck_assert_msg(false_stop == 0, "%d replies wrongly read as stop", false_stop);
	ck_assert_msg(c.m[INTENT_OTHER][INTENT_YES] == 0, "%d unclear replies read as yes",
	    c.m[INTENT_OTHER][INTENT_YES]);
	ck_assert_msg(false_yes == 0, "%d replies wrongly read as yes", false_yes);
}
END_TEST

/*
 * The corpus written without the rules: its figures are printed for the
 * logs; only what a family relies on is asserted, that no reply is wrongly
 * read as stop or as yes.  Recall is not asserted: unclear replies go to a
 * person.
 */
static void
intent_test_blind(const char *name)
{
	struct intent_confusion c;
	int false_stop, false_yes;

	intent_test_read_corpus(name, &c);
	intent_test_print_scores(name, &c);
	ck_assert_int_ge(c.lines, 200);
	false_stop = intent_test_false(&c, INTENT_STOP);
	false_yes = intent_test_false(&c, INTENT_YES);
	ck_assert_msg(false_stop == 0, "%d replies wrongly read as stop", false_stop);
	ck_assert_msg(false_yes == 0, "%d replies wrongly read as yes", false_yes);
}

START_TEST(intent_test_corpus_blind)
{
	intent_test_blind("replies_blind_tune.tsv");
}
END_TEST

/*
 * The other half of the same writer's replies, never used to write the
 * rules: its figures are what a new reply can expect.  Do not tune on it;
 * when it has been looked at, write a new one.
 */
START_TEST(intent_test_corpus_heldout)
{
	intent_test_blind("replies_blind_heldout.tsv");
}
END_TEST

START_TEST(intent_test_robust)
{
	static const char *const bad[] = {
		"", " ", "     ", "\t\n", "\n", "!!!", "...", "😀😀😀", "🎉", "💩 💩",
		"\xff", "oui\xc3", "\xc0\xaf", "\xed\xa0\x80", "oui\xe9", "\x80non",
	};
	char *big;
	size_t n = 10 * 1024;

	ck_assert_int_eq(intent_classify(NULL), INTENT_OTHER);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(intent_classify(bad[i]) == INTENT_OTHER, "bad[%zu]", i);

	big = malloc(n + 1);
	ck_assert_ptr_nonnull(big);
	for (size_t i = 0; i < n; i += 4)
		memcpy(big + i, "oui ", 4);
	big[n] = '\0';
	ck_assert_int_eq(intent_classify(big), INTENT_OTHER);		/* too long */
	memset(big, '?', n);
	ck_assert_int_eq(intent_classify(big), INTENT_OTHER);
	memset(big, ' ', n);
	memcpy(big, "stop", 4);
	ck_assert_int_eq(intent_classify(big), INTENT_OTHER);
	/* INTENT_MAX_WORDS words are read, one more is too many */
	big[0] = '\0';
	for (int i = 0; i < INTENT_MAX_WORDS; i++)
		strcat(big, "oui ");
	ck_assert_int_eq(intent_classify(big), INTENT_YES);
	strcat(big, "oui");
	ck_assert_int_eq(intent_classify(big), INTENT_OTHER);
	free(big);
}
END_TEST

static Suite *
intent_suite(void)
{
	Suite *s = suite_create("intent");
	TCase *tc;

	tc = tcase_create("names");
	tcase_add_test(tc, intent_test_names);
	suite_add_tcase(s, tc);
	tc = tcase_create("issue");
	tcase_add_test(tc, intent_test_issue);
	suite_add_tcase(s, tc);
	tc = tcase_create("rules");
	tcase_add_test(tc, intent_test_rules);
	suite_add_tcase(s, tc);
	tc = tcase_create("corpus");
	tcase_add_test(tc, intent_test_corpus);
	suite_add_tcase(s, tc);
	tc = tcase_create("corpus_blind");
	tcase_add_test(tc, intent_test_corpus_blind);
	tcase_add_test(tc, intent_test_corpus_heldout);
	suite_add_tcase(s, tc);
	tc = tcase_create("robust");
	tcase_add_test(tc, intent_test_robust);
	suite_add_tcase(s, tc);
	return s;
}

TEST_MAIN(intent_suite)
