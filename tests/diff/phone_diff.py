#!/usr/bin/python3
"""phone_diff — phone numbers, rappel's phone.c against libphonenumber.

Usage: phone_diff.py PHONE_DUMP CORPUS [--verbose]

Each number of CORPUS (tests/data/phone_corpus.txt, made by
phone_corpus.py) goes through rappel (the PHONE_DUMP program, through
phone_normalize) and through Google's libphonenumber (python3-phonenumbers,
the same metadata as Debian's libphonenumber8), region FR, and the two
must agree on: a number or not, its E.164 form, and its kind (mobile,
landline, special).

The reference, as rappel's users need it:
  - parsed with region FR, valid numbers only (is_valid_number);
  - a number written nationally ("0690 12 34 56", or its 9 digits) that is
    not a valid metropolitan number, or is a metropolitan landline, is read
    as dialled from metropolitan France to the overseas départements and
    territories: region GP, BL, MF, MQ, GF, RE, YT in turn, where it is a
    mobile or a landline (ARCEP's plan: 0690 is +590 690, 0262 is
    +262 262 ...); the 08 and 09 ranges they share with the metropole stay
    +33;
  - kinds: MOBILE and FIXED_LINE_OR_MOBILE are mobile (can receive SMS),
    FIXED_LINE and VOIP landline, the others (toll free, shared cost,
    premium, UAN, personal, pager, voicemail) special.
Explained differences, by design:
  - letters: rappel refuses a number with letters (other than a leading
    "tel:"); libphonenumber drops a leading letter and reads vanity letters
    and "ext.", so "O6 12 34 56 78" (the letter O) would be a guess;
  - ARCEP fiction range: 06 39 98 xx xx, kept for fiction (no subscriber
    has one), is accepted as a French mobile for the demo and the tests;
  - stray +: rappel refuses a "+" anywhere but in front ("++33 ...",
    "06 ... +"), which libphonenumber skips;
  - 9 digits without 0, not a mobile: rappel takes a number whose 0 a
    spreadsheet dropped ("612345678") only when it is a mobile, the only
    numbers it sends to; "123456789" is more likely a typo than a landline;
  - outside the table: for a country code that tools/gen_phone_plan.py
    leaves out (REGIONS there: +1, Germany, India ...), rappel accepts any
    plausible length and assumes a mobile.

Prints one summary line and exits 1 on any unexplained difference.
"""
import os
import re
import subprocess
import sys

try:
    import phonenumbers as pn
    from phonenumbers import PhoneNumberType as T
except ImportError:
    print("phone-diff: python3-phonenumbers is missing: apt-get install python3-phonenumbers")
    sys.exit(1)

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tools"))
try:
    from gen_phone_plan import REGIONS
except ImportError:
    REGIONS = None

OVERSEAS = ["GP", "BL", "MF", "MQ", "GF", "RE", "YT"]
KINDS = {T.MOBILE: "mobile", T.FIXED_LINE_OR_MOBILE: "mobile", T.FIXED_LINE: "landline",
         T.VOIP: "landline"}
GEO = (T.MOBILE, T.FIXED_LINE, T.FIXED_LINE_OR_MOBILE)
PLANNED = None if REGIONS is None else {pn.country_code_for_region(r) for r in REGIONS}


def parse(s, region):
    try:
        return pn.parse(s, region, keep_raw_input=True)
    except pn.NumberParseException:
        return None


def reference(s):
    """(e164, kind), or None when libphonenumber finds no valid number."""
    n = parse(s, "FR")
    if n is None:
        return None
    if n.country_code_source == pn.CountryCodeSource.FROM_DEFAULT_COUNTRY and (
            not pn.is_valid_number(n) or pn.number_type(n) == T.FIXED_LINE):
        for region in OVERSEAS:
            m = parse(s, region)
            if m is not None and pn.is_valid_number(m) and pn.number_type(m) in GEO:
                n = m
                break
    if not pn.is_valid_number(n):
        return None
    return pn.format_number(n, pn.PhoneNumberFormat.E164), KINDS.get(pn.number_type(n), "special")


def explain(s, ref, mine):
    """The reason of a difference that is by design, or None."""
    body = re.sub(r"^\s*tel:", "", s, flags=re.I)
    if mine is not None and mine[0].startswith("+3363998"):
        return "ARCEP fiction range"
    if re.search(r"[A-Za-z]", body) and mine is None:
        return "letters"
    if mine is None and re.search(r"\+", body.strip()[1:]):
        return "stray +"
    digits = re.sub(r"\D", "", body)
    if (mine is None and ref is not None and ref[1] != "mobile" and len(digits) == 9
            and not body.strip().startswith(("+", "0"))):
        return "9 digits without 0, not a mobile"
    if PLANNED is not None:
        n = parse(s, "FR")
        if n is not None and n.country_code not in PLANNED and (ref is None or mine is None
                                                                or ref[0] == mine[0]):
            return "outside the table"
    return None


def main():
    args = [a for a in sys.argv[1:] if a != "--verbose"]
    verbose = "--verbose" in sys.argv
    if len(args) != 2:
        print(__doc__)
        return 2
    with open(args[1], encoding="utf-8") as f:
        corpus = [line.rstrip("\n") for line in f if line.strip() and not line.startswith("#")]
    got = subprocess.run([args[0]], input="".join(c + "\n" for c in corpus),
                         capture_output=True, text=True, check=True)
    mine_lines = got.stdout.splitlines()
    assert len(mine_lines) == len(corpus), "phone_dump answered %d lines" % len(mine_lines)
    diffs, explained, valid = [], {}, 0
    for s, line in zip(corpus, mine_lines):
        f = line.split("\t")
        mine = (f[1], f[2]) if f[0] == "OK" else None
        ref = reference(s)
        valid += ref is not None
        if mine == ref:
            continue
        why = explain(s, ref, mine)
        if why:
            explained[why] = explained.get(why, 0) + 1
            if verbose:
                print("explained (%s): %r reference %s rappel %s" % (why, s, ref, mine or line))
            continue
        diffs.append((s, ref, mine if mine else "refused: " + f[1]))
    for s, ref, mine in diffs:
        print("DIFF %-28r libphonenumber %-36s rappel %s" % (s, ref, mine))
    print("phone-diff: %d numbers (%d valid for libphonenumber %s), %d differences (%d explained%s)"
          % (len(corpus), valid, pn.__version__, len(diffs), sum(explained.values()),
             "".join(": %s %d" % (k, v) if i == 0 else ", %s %d" % (k, v)
                     for i, (k, v) in enumerate(sorted(explained.items())))))
    return 1 if diffs else 0


if __name__ == "__main__":
    sys.exit(main())
