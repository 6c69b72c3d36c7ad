#!/usr/bin/python3
"""phone_corpus — writes tests/data/phone_corpus.txt (fixed seed).

Usage: /usr/bin/python3 tests/diff/phone_corpus.py > tests/data/phone_corpus.txt

Numbers as people type them, built from the reference's point of view
(libphonenumber's example numbers and its ranges, not phone.c's rules):
French mobiles, landlines, VoIP and 08 numbers in every usual format;
every overseas range (0590/0690/0691 Guadeloupe, Saint-Barthélemy,
Saint-Martin; 0594/0694 Guyane; 0596/0696/0697 Martinique; 0262/0263/
0692/0693 La Réunion; 0269/0639 Mayotte; 0508 Saint-Pierre), written as
dialled from metropolitan France and in international form; the countries
the centres' families come from; and typos (a digit missing or too many,
swapped digits, unallocated ranges, letters, misplaced "+").
One number a line; "#" starts a comment.
"""
import random

import phonenumbers as pn
from phonenumbers import PhoneNumberFormat as F
from phonenumbers import PhoneNumberType as T

SEED = 2025
COUNTRIES = ["DZ", "MA", "TN", "SN", "ML", "CI", "KM", "TR", "PT", "RO", "BE", "GB", "ES",
             "IT", "CM", "CD", "CG", "GN", "MR", "HT", "MG", "DE", "PL", "UA", "RU", "AL",
             "RS", "AF", "SY", "EG", "CN", "VN", "LK", "US", "BR", "NO", "CH", "NL"]
OVERSEAS = ["GP", "BL", "MF", "MQ", "GF", "RE", "YT", "PM"]
TYPES = [T.MOBILE, T.FIXED_LINE, T.VOIP, T.TOLL_FREE, T.SHARED_COST, T.PREMIUM_RATE]


def nsn(n):
    return pn.national_significant_number(n)


def spaced(d, groups):
    out, i = [], 0
    for g in groups:
        out.append(d[i:i + g])
        i += g
    if i < len(d):
        out.append(d[i:])
    return " ".join(x for x in out if x)


def french_forms(rnd, d):
    """d: the 9 digits after 0.  The ways people write a French number."""
    z = "0" + d
    pairs = " ".join(z[i:i + 2] for i in range(0, 10, 2))
    return rnd.sample([
        pairs, z, pairs.replace(" ", "."), pairs.replace(" ", "-"),
        "+33 " + d[0] + " " + " ".join(d[i:i + 2] for i in range(1, 9, 2)),
        "+33 (0)" + d[0] + " " + " ".join(d[i:i + 2] for i in range(1, 9, 2)),
        "0033 " + d, "+33" + d, "33" + d, d, "tel:+33" + d, "tel: " + pairs,
        pairs.replace(" ", "\u00a0"), z[:4] + " " + z[4:6] + " " + z[6:8] + " " + z[8:],
        "(" + z[:2] + ") " + " ".join(z[i:i + 2] for i in range(2, 10, 2)),
        "+33 0" + d, pairs.replace(" ", "/"),
    ], 4)


def random_in(rnd, region, t):
    """A number of that type in region: the example with its last digits changed."""
    ex = pn.example_number_for_type(region, t)
    if ex is None:
        return None
    d = nsn(ex)
    if rnd.random() < 0.6:
        # anywhere in the type's ranges: random digits until one is of that type
        for _ in range(400):
            cand = rnd.choice("123456789") + "".join(rnd.choice("0123456789")
                                                      for _ in range(len(d) - 1))
            n = pn.parse("+%d%s" % (ex.country_code, cand), None)
            if pn.is_valid_number(n) and pn.number_type(n) == t:
                return n
    for _ in range(20):
        keep = max(2, len(d) - rnd.randint(2, 5))
        cand = d[:keep] + "".join(rnd.choice("0123456789") for _ in range(len(d) - keep))
        n = pn.parse("+%d%s" % (ex.country_code, cand), None)
        if pn.is_valid_number(n):
            return n
    return ex


def typos(rnd, s):
    digits = [i for i, c in enumerate(s) if c.isdigit()]
    i = rnd.choice(digits[1:])
    kind = rnd.randrange(5)
    if kind == 0:
        return s[:i] + s[i + 1:]                      # a digit missing
    if kind == 1:
        return s[:i] + rnd.choice("0123456789") + s[i:]   # one too many
    if kind == 2 and i + 1 < len(s) and s[i + 1].isdigit():
        return s[:i] + s[i + 1] + s[i] + s[i + 2:]     # swapped
    if kind == 3:
        return s[:i] + rnd.choice("0123456789") + s[i + 1:]   # one wrong
    return s.replace("0", "O", 1) if "0" in s else s + "8"   # a letter O


def main():
    rnd = random.Random(SEED)
    out = []

    def add(comment, items):
        out.append("# " + comment)
        out.extend(x for x in items if x)

    # metropolitan France, every type, every format
    fr = []
    for t in TYPES:
        for _ in range(6 if t in (T.MOBILE, T.FIXED_LINE) else 2):
            n = random_in(rnd, "FR", t)
            fr.extend(french_forms(rnd, nsn(n)))
    add("France: mobiles, landlines, VoIP, 08 numbers", fr)
    # ranges the plan leaves unallocated, and the numbers
    add("France: unallocated ranges and the numbers of issue 25", [
        "07 11 12 34 56", "07 01 23 45 67", "06 39 12 34 56", "0690 12 34 56",
        "0694 12 34 56", "0696 12 34 56", "tel: 06 12 34 56 78", "+44 7700 900123",
        "+590 590 12 34 56", "08 00 12 34 56", "0899 12 34 56", "01 00 00 00 00",
        "07 00 12 34 56", "06 99 12 34 56", "09 76 12 34 56", "+33 690 12 34 56",
        "06 39 98 12 34"])
    # overseas: every range libphonenumber knows, as dialled from metropolitan France
    ov = []
    for region in OVERSEAS:
        md = pn.PhoneMetadata.metadata_for_region(region)
        for t in [T.MOBILE, T.FIXED_LINE, T.VOIP]:
            for _ in range(5 if t == T.MOBILE else 2):
                n = random_in(rnd, region, t)
                if n is None:
                    continue
                d = nsn(n)
                intl = pn.format_number(n, F.INTERNATIONAL)
                if len(d) == 9:
                    ov.extend(french_forms(rnd, d)[:2])
                ov.append(intl)
                ov.append("00" + intl[1:].replace(" ", ""))
        del md
    add("overseas departments and territories", ov)
    # the countries the families come from
    world = []
    for region in COUNTRIES:
        for t in [T.MOBILE, T.MOBILE, T.MOBILE, T.FIXED_LINE]:
            n = random_in(rnd, region, t)
            if n is None:
                continue
            f = rnd.choice([F.INTERNATIONAL, F.E164, F.INTERNATIONAL])
            s = pn.format_number(n, f)
            world.append(s)
            if rnd.random() < 0.3:
                world.append("00" + s[1:])
            if rnd.random() < 0.2:   # the trunk 0 typed after the country code
                nat = pn.format_number(n, F.NATIONAL)
                if nat.startswith("0"):
                    world.append("+%d %s" % (n.country_code, nat))
    add("countries of origin", world)
    # typos on everything above
    base = [x for x in fr + ov + world]
    add("typos", [typos(rnd, rnd.choice(base)) for _ in range(110)])
    add("not numbers", ["+", "-", "++33 6 12 34 56 78", "06 12 34 56 78 +", "+0612345678",
                        "0", "12", "0612", "+33", "+999 123 456 789", "+1234567890123456",
                        "06 12 34 56 78 90 12 34", "6 12 34 56 78", "612345678", "123456789",
                        "33612345678", "33 1 23 45 67 89", "590690123456", "+212 0612345678"])
    seen = set()
    for line in out:
        if line.startswith("#") or line not in seen:
            print(line)
            seen.add(line)


if __name__ == "__main__":
    main()
