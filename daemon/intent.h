/*
 * intent — what a family means by its SMS reply.  Pure logic.
 *
 * Replies are classified as yes, no, stop (opt out of SMS), start (opt
 * back in), help, who (« c'est qui ? »: who writes, what this number is),
 * or other.  Precision comes before recall: a wrong STOP
 * silences a family and a wrong OUI fills an atelier with people who will
 * not come, so every reply that is not clearly one intent is "other" and
 * goes to a person with its text.
 *
 * How a reply is read:
 *   1. Normalised: text_fold (lower case, Latin accents removed, and those
 *      of Latin Extended-A: "ğ" "ş" "ı" "ț" are g s i t); Arabic
 *      letters kept, their hamza/alef variants, ta marbuta and alef maqsura
 *      unified, harakat and tatweel dropped; Arabic-Indic digits become
 *      0-9; 👍 👌 ✅ ✔ 🆗 become a "yes" word, 👎 ❌ a "no" word and 🛑
 *      a "stop" word;
 *      friendly emoji (🙂 😊 🙏 ❤ …) are dropped; any other emoji or
 *      symbol is an unknown word; "?" (and "؟") is a word of its own;
 *      other punctuation, apostrophes and spaces separate words.
 *   2. Compared word by word, ignoring repeated letters ("ouiii" = "oui",
 *      "okk" = "ok"; digits are never merged: "11" is not "1").
 *   3. Covered, left to right, by the longest phrase of a small table:
 *      phrases of one intent ("je peux pas", "je ne veux plus de sms",
 *      "jvien", "wakha", "ana ji", "evet", "não posso"), polite fillers
 *      (merci, bonjour, svp, madame, thanks, شكرا, obrigado …),
 *      companions ("avec mes 2 enfants"), signatures ("c'est Rachid",
 *      "Mme Benali": a name is a word typed with a capital that the table
 *      does not know), hedges ("inchallah"), and leaning phrases that
 *      support one intent without making it ("je travaille", "j'ai rdv
 *      chez le médecin" lean to no; "j'arrive" to yes).
 *   4. The reply is an intent only when every word is covered, at least
 *      one phrase is not a filler, and all such phrases have that one
 *      intent; leaning phrases must lean to it, a hedge needs a phrase of
 *      coming ("je viens inchallah" is yes, "oui inchallah" is not), a
 *      signature does not go with a question mark.  An unknown word
 *      ("mais", "retard", "où", "peut-être", a time), two intents ("oui ?",
 *      "non pas stop", "oui je travaille"), a question mark with anything
 *      but help or who, or a reply longer than INTENT_MAX_BYTES or
 *      INTENT_MAX_WORDS gives INTENT_OTHER.
 *
 * "1" is yes and "2" is no (the reminders say "répondez 1 ou OUI").
 */
#ifndef RAPPEL_INTENT_H
#define RAPPEL_INTENT_H

/* Longer replies are always "other": a person reads them. */
#define INTENT_MAX_BYTES 320
/* Replies with more words than this are always "other". */
#define INTENT_MAX_WORDS 40

enum intent {
	INTENT_OTHER,	/* unclear, mixed or unrelated: for a person */
	INTENT_YES,	/* will come, agrees */
	INTENT_NO,	/* will not come, declines */
	INTENT_STOP,	/* asks to receive no more SMS */
	INTENT_START,	/* asks to receive SMS again */
	INTENT_HELP,	/* asks for help or information */
	INTENT_WHO,	/* asks who writes, what this number is */
};

/*
 * Returns the static lower-case name of i: "other", "yes", "no", "stop",
 * "start", "help" or "who"; "other" for a value outside the enum.
 */
const char *intent_name(enum intent i);

/*
 * Classifies one reply.  utf8_text may be NULL; NULL, invalid UTF-8, an
 * empty reply and anything unclear give INTENT_OTHER.  Thread-safe, no
 * allocation beyond a temporary buffer freed before returning.
 */
enum intent intent_classify(const char *utf8_text);

#endif
