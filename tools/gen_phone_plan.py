#!/usr/bin/python3
"""gen_phone_plan — generated/phone_plan.c from libphonenumber's metadata.

Usage: /usr/bin/python3 tools/gen_phone_plan.py > generated/phone_plan.c

Reads the numbering plans that Google's libphonenumber knows (Debian's
python3-phonenumbers, the same metadata as libphonenumber8) and writes, for
every country calling code, the ranges of national significant numbers
that are valid: (length, leading digits, kind).  A range is found by
splitting on leading digits until every sampled number under it has the
same type; tests/diff/phone_diff.py then checks phone.c against the
library itself on a corpus of more than 500 numbers.

Regenerate when Debian updates python3-phonenumbers (the differential test
says so: the reference then disagrees with the table).
"""
import random
import sys
import warnings

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    try:
        import re._parser as sre_parse
        from re._constants import (BRANCH, CATEGORY, CATEGORY_DIGIT, IN, LITERAL, MAX_REPEAT,
                                   MIN_REPEAT, NEGATE, RANGE, SUBPATTERN)
    except ImportError:
        import sre_parse
        from sre_constants import (BRANCH, CATEGORY, CATEGORY_DIGIT, IN, LITERAL, MAX_REPEAT,
                                   MIN_REPEAT, NEGATE, RANGE, SUBPATTERN)

import phonenumbers as pn
from phonenumbers import PhoneNumberType as T

MOBILE, LANDLINE, SPECIAL, INVALID = "PHONE_MOBILE", "PHONE_LANDLINE", "PHONE_SPECIAL", None
KINDS = {
    T.MOBILE: MOBILE, T.FIXED_LINE_OR_MOBILE: MOBILE,
    T.FIXED_LINE: LANDLINE, T.VOIP: LANDLINE,
    T.TOLL_FREE: SPECIAL, T.PREMIUM_RATE: SPECIAL, T.SHARED_COST: SPECIAL,
    T.PERSONAL_NUMBER: SPECIAL, T.PAGER: SPECIAL, T.UAN: SPECIAL, T.VOICEMAIL: SPECIAL,
}
SAMPLES = 24        # numbers tried under each prefix
MIN_DEPTH = 4       # leading digits always looked at under a valid block
SEED = 164
# The countries whose ranges are in the table: France and its overseas
# départements and territories, and the countries the families of the
# centres come from.  The others (+1, Germany, India ...) have tens of
# thousands of fixed-line ranges: their numbers are accepted on length alone
# and assumed mobile, as before (phone.h).
REGIONS = """FR GP BL MF MQ GF RE YT PM NC PF WF
DZ MA TN LY EG MR SN ML CI BF NE GN CM CG CD GA TG BJ KM MG DJ TD CF HT CV GW GM SL
NG GH SD SO ER ET MU SC AO RW BI
BE LU CH MC NL GB IE ES PT IT AD PL RO BG MD UA RU RS AL XK BA HR GR TR CZ SK HU NO DK
MK ME SI
AF SY IQ IR LB PS GE AM AZ CN VN LK BD PK KH LA PH TH JO SA AE QA
BR CO VE PE CL EC BO""".split()


def classify(cc, nsn):
    """The kind of +cc nsn, or None when libphonenumber says invalid."""
    n = pn.PhoneNumber(country_code=cc, national_number=int(nsn))
    zeros = len(nsn) - len(nsn.lstrip("0"))
    if zeros:
        n.italian_leading_zero = True
        n.number_of_leading_zeros = zeros if zeros > 1 else None
    if not pn.is_valid_number(n):
        return INVALID
    t = pn.number_type(n)
    # geographic (a place, or a mobile): what an overseas reading may replace
    geo = t in (T.MOBILE, T.FIXED_LINE, T.FIXED_LINE_OR_MOBILE)
    return (KINDS.get(t, SPECIAL), 1 if geo else 0)


def sample_regex(tree, rnd):
    """One random string matching a parsed libphonenumber pattern."""
    out = []
    for op, av in tree:
        if op == LITERAL:
            out.append(chr(av))
        elif op == IN:
            chars = []
            for o, a in av:
                if o == LITERAL:
                    chars.append(chr(a))
                elif o == RANGE:
                    chars.extend(chr(c) for c in range(a[0], a[1] + 1))
                elif o == CATEGORY and a == CATEGORY_DIGIT:
                    chars.extend("0123456789")
                elif o == NEGATE:
                    return None
            out.append(rnd.choice(chars))
        elif op == CATEGORY and av == CATEGORY_DIGIT:
            out.append(rnd.choice("0123456789"))
        elif op in (MAX_REPEAT, MIN_REPEAT):
            lo, hi, sub = av
            for _ in range(rnd.randint(lo, min(hi, lo + 3))):
                x = sample_regex(sub, rnd)
                if x is None:
                    return None
                out.append(x)
        elif op == SUBPATTERN:
            x = sample_regex(av[-1], rnd)
            if x is None:
                return None
            out.append(x)
        elif op == BRANCH:
            x = sample_regex(rnd.choice(av[1]), rnd)
            if x is None:
                return None
            out.append(x)
        else:
            return None
    return "".join(out)


def seeds(cc, rnd):
    """Valid national numbers of cc drawn from every type's pattern: they
    lead the splitting into sparse ranges that random digits would miss."""
    out = set()
    for region in pn.COUNTRY_CODE_TO_REGION_CODE.get(cc, ()):
        md = (pn.PhoneMetadata.metadata_for_nongeo_region(cc) if region == "001"
              else pn.PhoneMetadata.metadata_for_region(region))
        if md is None:
            continue
        for desc in (md.mobile, md.fixed_line, md.voip, md.toll_free, md.premium_rate,
                     md.shared_cost, md.personal_number, md.pager, md.uan, md.voicemail):
            if desc is None or not desc.national_number_pattern:
                continue
            tree = sre_parse.parse(desc.national_number_pattern)
            for _ in range(400):
                x = sample_regex(tree, rnd)
                if x and classify(cc, x) is not INVALID:
                    out.add(x)
    return out


def lengths(cc):
    out = set()
    for region in pn.COUNTRY_CODE_TO_REGION_CODE.get(cc, ()):
        md = (pn.PhoneMetadata.metadata_for_nongeo_region(cc) if region == "001"
              else pn.PhoneMetadata.metadata_for_region(region))
        if md is None or md.general_desc is None:
            continue
        out.update(x for x in md.general_desc.possible_length if x > 0)
    return sorted(out)


def ranges(cc, length, rnd, valid):
    """[(prefix, kind)] covering every valid number of that length."""
    out = []
    valid = sorted(v for v in valid if len(v) == length)

    def walk(prefix):
        rest = length - len(prefix)
        tries = [prefix + d * rest for d in "0123456789"] if rest else [prefix]
        tries += [prefix + "".join(rnd.choice("0123456789") for _ in range(rest))
                  for _ in range(SAMPLES if rest else 0)]
        under = [v for v in valid if v.startswith(prefix)]
        tries += rnd.sample(under, min(len(under), SAMPLES))
        kinds = {classify(cc, t) for t in tries}
        # a valid-looking block is split to MIN_DEPTH digits anyway: holes
        # such as 0639 and 0690-0694 among French mobiles hide from sampling
        if len(kinds) == 1 and INVALID not in kinds and len(prefix) < MIN_DEPTH and rest > 1:
            kinds.add(INVALID)
        if len(kinds) == 1 or rest == 0:
            k = kinds.pop()
            if k is not INVALID:
                out.append((prefix, k))
            return
        for d in "0123456789":
            walk(prefix + d)

    walk("")
    # neighbours of one kind under one parent collapse into it
    return merge(out)


def merge(items):
    changed = True
    while changed:
        changed = False
        by_parent = {}
        for p, k in items:
            if p:
                by_parent.setdefault(p[:-1], []).append((p, k))
        for parent, kids in by_parent.items():
            if len(kids) == 10 and len({k for _, k in kids}) == 1:
                k = kids[0][1]
                items = [x for x in items if not (x[0][:-1] == parent and x[0] != parent)]
                items.append((parent, k))
                changed = True
                break
    return sorted(items)


def trunk_zero(cc):
    """True when numbers of cc's main region are written nationally with a
    leading 0 (libphonenumber drops it after the country code)."""
    region = pn.region_code_for_country_code(cc)
    if region in ("001", "ZZ"):
        return False
    md = pn.PhoneMetadata.metadata_for_region(region)
    return md is not None and md.national_prefix == "0"


def main():
    rnd = random.Random(SEED)
    rows = []
    codes = sorted(pn.COUNTRY_CODE_TO_REGION_CODE)
    planned = sorted({pn.country_code_for_region(r) for r in REGIONS})
    for cc in planned:
        valid = seeds(cc, rnd)
        for length in lengths(cc):
            for prefix, kind in ranges(cc, length, rnd, valid):
                rows.append((cc, length, prefix, kind))
    assert max(len(r[2]) for r in rows) < 10, "PHONE_PLAN_PREFIX_MAX in phone_plan.h"
    w = sys.stdout.write
    w("/*\n * phone_plan — generated by tools/gen_phone_plan.py from libphonenumber's\n"
      " * metadata %s (python3-phonenumbers): do not edit.  See phone_plan.h.\n */\n"
      % pn.__version__)
    w('#include "phone_plan.h"\n\n')
    w("const char phone_plan_version[] = \"%s\";\n\n" % pn.__version__)
    w("/*\n * every country calling code, ascending; trunk: written nationally with a\n"
      " * 0; planned: its ranges are below\n */\n")
    w("const struct phone_cc phone_plan_ccs[] = {\n")
    for cc in codes:
        w("\t{ %d, %d, %d },\n" % (cc, 1 if trunk_zero(cc) else 0, 1 if cc in planned else 0))
    w("};\nconst size_t phone_plan_nccs = sizeof(phone_plan_ccs) / sizeof(phone_plan_ccs[0]);\n\n")
    w("/* valid ranges: country code, length of the national number, leading digits */\n")
    w("const struct phone_range phone_plan_ranges[] = {\n")
    for cc, length, prefix, kind in rows:
        w('\t{ %d, %d, %s, %d, "%s" },\n' % (cc, length, kind[0], kind[1], prefix))
    w("};\nconst size_t phone_plan_nranges = sizeof(phone_plan_ranges) / "
      "sizeof(phone_plan_ranges[0]);\n")
    print("%d codes, %d ranges" % (len(codes), len(rows)), file=sys.stderr)
    w("const size_t phone_plan_prefix_max = %d;\n" % max(len(r[2]) for r in rows))


if __name__ == "__main__":
    main()
