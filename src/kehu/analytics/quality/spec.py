"""The Splink model specification: comparisons, blocking rules and priors.

Everything is expressed as DuckDB SQL over the columns produced by
:mod:`.prepare`.  Only ASCII keys (pinyin, digits, e-mail) are fed to the
byte-counting string functions (``jaro_winkler_similarity``,
``damerau_levenshtein``); Chinese addresses are compared as bigram *lists*.

The ``m``/``u`` numbers given for each level are *priors*: they are the
starting point for EM and they are what a model uses when the data set is too
small to train on (a few hundred rows give no usable u estimates).  They were
set by hand from the synthetic and FEBRL data: u = how often two random
customers agree at that level, m = how often two records of the same customer
do.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = [
    "COMPARISON_COLUMNS",
    "BlockingRule",
    "blocking_rules_for",
    "comparisons_for",
    "deterministic_rules_for",
    "training_rules_for",
]

Level = dict[str, Any]

# Prepared columns each comparison reads (used by the single-record scorer to
# build a fixed schema even when the new record lacks some fields).
COMPARISON_COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("name_norm", "name_py", "name_py_sorted"),
    "family_name": ("family_py", "given_py"),
    "given_name": ("given_py", "family_py"),
    # The house numbers too: a phone shared within one home proves less (see _phone).
    "phone": ("phone", "addr_numbers"),
    "email": ("email", "email_local"),
    "birthday": ("birthday",),
    "postcode": ("postcode",),
    "city": ("city",),
    "locality": ("postcode", "city"),
    # The company too: another address within one employer counts less (see _address).
    "address": ("addr_bigrams", "addr_numbers", "company"),
    "id_number": ("id_number",),
    "company": ("company",),
}


def _null(*cols: str) -> Level:
    cond = " OR ".join(f'"{c}_l" IS NULL OR "{c}_r" IS NULL' for c in cols)
    return {"sql_condition": cond, "label_for_charts": "missing", "is_null_level": True}


def _lvl(sql: str, label: str, m: float, u: float) -> Level:
    return {"sql_condition": sql, "label_for_charts": label, "m_probability": m, "u_probability": u}


def _fixed(sql: str, label: str, m: float, u: float) -> Level:
    """A level whose m and u are set by hand and never estimated.

    For evidence the data cannot teach: EM separates two classes, and a class of
    households (one phone, one address, several people) looks to it like a class of
    duplicates.
    """
    return {**_lvl(sql, label, m, u), "fix_m_probability": True, "fix_u_probability": True}


def _else(m: float, u: float) -> Level:
    return _lvl("ELSE", "different", m, u)


def _eq(col: str) -> str:
    return f'"{col}_l" = "{col}_r"'


def _jw(col: str) -> str:
    return f'jaro_winkler_similarity("{col}_l", "{col}_r")'


def _typo(col: str) -> str:
    """Same length and one substitution or one adjacent transposition.

    ``damerau_levenshtein`` is far slower than ``hamming`` in DuckDB (figures
    in bench/README.md), so it only runs on the rare pairs that differ in exactly two positions.  DuckDB
    evaluates CASE/AND lazily, so ``hamming`` (which raises on unequal
    lengths) never sees strings of different length; a test covers this.
    All callers use ASCII keys, so bytes = characters.
    """
    left, right = f'"{col}_l"', f'"{col}_r"'
    ham = f"hamming({left}, {right})"
    return (
        f"length({left}) = length({right}) AND "
        f"({ham} <= 1 OR ({ham} = 2 AND damerau_levenshtein({left}, {right}) <= 1))"
    )


def _comparison(name: str, description: str, levels: list[Level]) -> dict[str, Any]:
    return {
        "output_column_name": name,
        "comparison_description": description,
        "comparison_levels": levels,
    }


# A name written in Chinese characters: the first character of the normalised name is a
# CJK ideograph (U+3400 and up; latin names are lower-case ASCII).  A code point test is
# far cheaper than a regular expression on millions of sampled pairs.
def _han(side: str) -> str:
    return f'unicode("name_norm_{side}") >= 13312'


def _far(col: str) -> str:
    """More than one typo apart (ASCII keys: bytes = characters)."""
    return f'damerau_levenshtein("{col}_l", "{col}_r") > 1'


def _name() -> dict[str, Any]:
    # Best of the written-order and the sorted pinyin, so "Wei Zhang" vs 张玮
    # still scores as a near match.
    jw = f"greatest({_jw('name_py')}, {_jw('name_py_sorted')})"
    return _comparison(
        "name",
        "full name: exact / same pinyin / same syllables any order / "
        "other name in characters / Jaro-Winkler on pinyin",
        [
            _null("name_py"),
            _lvl(_eq("name_norm"), "exact (normalised)", 0.55, 2e-4),
            # Other script, a homophone character, spaces: the same sound.
            _lvl(_eq("name_py"), "same pinyin", 0.15, 2e-4),
            _lvl(_eq("name_py_sorted"), "same pinyin, other order", 0.05, 1e-4),
            # Two names typed in characters that do not even sound alike are two
            # people (张伟 / 张芳: a family on one phone and address); a typo in
            # characters is a homophone, caught above.  Jaro-Winkler on their pinyin
            # would call zhangwei / zhangwen "similar".  Fixed by hand: see _fixed.
            _fixed(f"{_han('l')} AND {_han('r')}", "other name, both in characters", 0.004, 0.9),
            # Characters against pinyin: the pinyin of the characters is exact, so
            # anything more than one typo in the latin one is another name (张伟 /
            # "Zhang Wanfei", a sister; Jaro-Winkler's prefix bonus calls them
            # similar).  Damerau-Levenshtein is slow, but few pairs reach it.
            _fixed(
                f"({_han('l')} OR {_han('r')}) AND {_far('name_py')} AND {_far('name_py_sorted')}",
                "other name, one in characters",
                0.004,
                0.9,
            ),
            _lvl(f"{jw} >= 0.92", "pinyin Jaro-Winkler >= 0.92", 0.12, 3e-3),
            _lvl(f"{jw} >= 0.80", "pinyin Jaro-Winkler >= 0.80", 0.06, 0.05),
            _else(0.07, 0.95),
        ],
    )


def _name_part(col: str, label: str, other: str) -> dict[str, Any]:
    return _comparison(
        label,
        f"{label}: exact / swapped with {other} / Jaro-Winkler on pinyin",
        [
            _null(col),
            _lvl(_eq(col), "exact", 0.80, 5e-3),
            _lvl(f'"{col}_l" = "{other}_r"', f"equals the other record's {other}", 0.02, 1e-4),
            _lvl(f"{_jw(col)} >= 0.92", "Jaro-Winkler >= 0.92", 0.08, 5e-3),
            _lvl(f"{_jw(col)} >= 0.80", "Jaro-Winkler >= 0.80", 0.05, 0.05),
            _else(0.05, 0.94),
        ],
    )


def _phone() -> dict[str, Any]:
    return _comparison(
        "phone",
        "phone (E.164): exact within one home / exact / one digit different",
        [
            _null("phone"),
            # People who share a phone mostly share a home (a family's landline).
            # Fellegi-Sunter adds phone and address as if independent, so a shared
            # phone *and* address counted twice and merged every household; here the
            # phone adds little once the address (house, building, room numbers) is
            # the same, and the address comparison carries the evidence of both.
            _fixed(
                f'{_eq("phone")} AND {_eq("addr_numbers")} AND length("addr_numbers_l") > 1',
                "exact, same house numbers",
                0.3,
                0.15,
            ),
            _lvl(_eq("phone"), "exact", 0.80, 1e-6),
            _lvl(_typo("phone"), "one digit off", 0.03, 1e-5),
            _else(0.17, 1.0),
        ],
    )


def _email() -> dict[str, Any]:
    return _comparison(
        "email",
        "e-mail: exact / same local part",
        [
            _null("email"),
            _lvl(_eq("email"), "exact", 0.85, 1e-6),
            _lvl(_eq("email_local"), "same local part", 0.05, 1e-5),
            # No "similar local part" level: local parts are mostly built from
            # the name (zhang.lei88 / zhanglei1990), so it would count the name
            # a second time and pushed namesakes over the threshold.
            _else(0.10, 1.0),
        ],
    )


def _birthday() -> dict[str, Any]:
    full = 'length("birthday_l") = 8 AND length("birthday_r") = 8'
    swapped = (
        f'{full} AND substr("birthday_l", 1, 4) = substr("birthday_r", 1, 4) '
        'AND substr("birthday_l", 5, 2) = substr("birthday_r", 7, 2) '
        'AND substr("birthday_l", 7, 2) = substr("birthday_r", 5, 2)'
    )
    return _comparison(
        "birthday",
        "birthday: exact / day-month swapped / one digit off / same year",
        [
            _null("birthday"),
            # A bare year ("1985") must not count as an exact date match.
            _lvl(f"{_eq('birthday')} AND {full}", "exact", 0.86, 5e-5),
            _lvl(swapped, "day and month swapped", 0.02, 2e-5),
            _lvl(f"{full} AND {_typo('birthday')}", "one digit off", 0.05, 2e-3),
            _lvl(
                'substr("birthday_l", 1, 4) = substr("birthday_r", 1, 4)', "same year", 0.04, 0.02
            ),
            _else(0.03, 0.98),
        ],
    )


def _postcode() -> dict[str, Any]:
    return _comparison(
        "postcode",
        "postcode: exact / one typo / same first three characters",
        [
            _null("postcode"),
            _lvl(_eq("postcode"), "exact", 0.85, 2e-3),
            _lvl(_typo("postcode"), "one typo", 0.04, 5e-3),
            _lvl('left("postcode_l", 3) = left("postcode_r", 3)', "same area", 0.08, 0.03),
            _else(0.07, 0.97),
        ],
    )


def _city() -> dict[str, Any]:
    return _comparison(
        "city",
        "city (pinyin key)",
        [_null("city"), _lvl(_eq("city"), "exact", 0.92, 0.05), _else(0.08, 0.95)],
    )


def _locality() -> dict[str, Any]:
    """Postcode and city as *one* comparison.

    Fellegi-Sunter adds the weights of comparisons as if they were independent
    given match status; "same postcode" and "same city" are not (one postcode
    lies in one city), so two comparisons would count a shared neighbourhood
    twice.  This was the main source of false matches between namesakes
    living on the same street.
    """
    return _comparison(
        "locality",
        "postcode exact / one typo / same city / same postcode area",
        [
            _lvl(_eq("postcode"), "same postcode", 0.80, 2e-3),
            _lvl(
                f"{_typo('postcode')} AND {_eq('city')}", "postcode one typo, same city", 0.04, 2e-4
            ),
            _lvl(_eq("city"), "same city", 0.10, 0.04),
            _lvl(_typo("postcode"), "postcode one typo", 0.02, 3e-3),
            _lvl('left("postcode_l", 3) = left("postcode_r", 3)', "same postcode area", 0.02, 0.03),
            # Only when neither field can be compared (see _address for why the
            # null level is not first).
            {
                "sql_condition": '("postcode_l" IS NULL OR "postcode_r" IS NULL) '
                'AND ("city_l" IS NULL OR "city_r" IS NULL)',
                "label_for_charts": "missing",
                "is_null_level": True,
            },
            _else(0.02, 0.93),
        ],
    )


def jaccard_sql(col: str) -> str:
    """Set Jaccard of two *distinct* integer lists (bigram codes).

    Counts list elements, never bytes.  ``list_filter``/``list_contains`` on
    integers is much faster in DuckDB than ``list_intersect`` on strings, and
    DuckDB evaluates the identical sub-expression once across the CASE levels.
    """
    inter = f'len(list_filter("{col}_l", lambda x: list_contains("{col}_r", x)))'
    return f'({inter} / (len("{col}_l") + len("{col}_r") - {inter}))'


def _address() -> dict[str, Any]:
    jac = jaccard_sql("addr_bigrams")
    # House, building and room numbers decide between neighbours: two addresses
    # on one street share most bigrams.  Numbers are "compatible" when one
    # list is a prefix of the other ("149-" vs "149-13-1187-": the building
    # and room were just left out).
    same_numbers = (
        '(starts_with("addr_numbers_l", "addr_numbers_r") '
        'OR starts_with("addr_numbers_r", "addr_numbers_l"))'
    )
    return _comparison(
        "address",
        "address: Jaccard similarity of character bigrams, and house numbers",
        [
            # The null level goes *after* the similarity levels on purpose: with a
            # leading IS NULL branch DuckDB stops sharing the (expensive) Jaccard
            # sub-expression between branches, which made this comparison several
            # times slower (bench/README.md).  A NULL list makes every Jaccard
            # condition NULL (not true), so missing addresses still land on the
            # null level.  For the same reason no level tests another column
            # before the Jaccard: household phones are handled in _phone.
            #
            # u priors: one home is shared by a household (family, flatmates), so two
            # random customers share an address far more often than a phone; with the
            # prior P(match) of 1e-4 an address alone gives odds of about 3:1, not
            # the near proof a u of 1e-6 made of it.
            _lvl(f"{jac} >= 0.9 AND {same_numbers}", "bigram Jaccard >= 0.9", 0.55, 2e-5),
            _lvl(f"{jac} >= 0.7 AND {same_numbers}", "bigram Jaccard >= 0.7", 0.2, 4e-5),
            _lvl(f"{jac} >= 0.5 AND {same_numbers}", "bigram Jaccard >= 0.5", 0.1, 2e-4),
            # A neighbour: same street and estate, other house or room numbers.  The
            # locality comparison has already counted the shared neighbourhood, and
            # within one neighbourhood other numbers mean another home: this level
            # counts against (namesakes in one estate were merged), whatever EM says.
            _fixed(f"{jac} >= 0.5", "similar, other house number", 0.02, 0.05),
            _lvl(f"{jac} >= 0.3", "bigram Jaccard >= 0.3", 0.03, 0.03),
            _null("addr_bigrams"),
            # One record of a person may carry the office address, another the home:
            # within one employer another address says little (colleagues live
            # apart, duplicates often do too), so it weighs little.  Fixed by hand,
            # as EM sees too few such pairs to estimate it.
            _fixed(_eq("company"), "other address, same company", 0.5, 0.95),
            _else(0.08, 0.97),
        ],
    )


def _id_number() -> dict[str, Any]:
    return _comparison(
        "id_number",
        "ID number: exact / one character off",
        [
            _null("id_number"),
            _lvl(_eq("id_number"), "exact", 0.90, 1e-7),
            _lvl(_typo("id_number"), "one character off", 0.06, 1e-5),
            _else(0.04, 1.0),
        ],
    )


def _company() -> dict[str, Any]:
    return _comparison(
        "company",
        "company name without legal-form suffix",
        [_null("company"), _lvl(_eq("company"), "exact", 0.7, 1e-3), _else(0.3, 0.999)],
    )


def comparisons_for(features: frozenset[str]) -> list[dict[str, Any]]:
    """Comparisons for the feature groups present in the data (others are dropped)."""
    out: list[dict[str, Any]] = []
    if "name_parts" in features:
        out.append(_name_part("family_py", "family_name", "given_py"))
        out.append(_name_part("given_py", "given_name", "family_py"))
    elif "name" in features:
        out.append(_name())
    builders = {
        "phone": _phone,
        "email": _email,
        "birthday": _birthday,
        "postcode": _postcode,
        "city": _city,
        "locality": _locality,
        "address": _address,
        "id_number": _id_number,
        "company": _company,
    }
    # Postcode and city together are one comparison (see _locality).
    present = set(features)
    if {"postcode", "city"} <= present:
        present -= {"postcode", "city"}
        present.add("locality")
    out.extend(build() for feat, build in builders.items() if feat in present)
    return out


@dataclass(frozen=True)
class BlockingRule:
    """Equality on a set of columns (all non-null)."""

    columns: tuple[str, ...]
    feature_needed: tuple[str, ...]

    @property
    def sql(self) -> str:
        return " AND ".join(f'l."{c}" = r."{c}"' for c in self.columns)


# Why these rules (1M customers, 2 cores, <= 2 min): each is an equality join on
# one or two normalised keys whose groups are small, so the total candidate set
# stays around a few pairs per record.  Exact identifiers (phone, e-mail, ID
# number) catch most duplicates on their own; the name rules catch duplicates
# whose contact data changed; the postcode/birthday rules catch the rest (name
# typos, pinyin vs. characters).  A bare-name or bare-postcode rule would be
# O(n^2 / #groups) and is never used.  Rules that still explode on a given data
# set (e.g. everybody shares one postcode) are dropped at fit time by a
# pre-count, see ``DuplicateFinder.max_pairs_per_rule``.  Pairs per rule on
# the benchmark are in bench/README.md.  name+city is the largest (common names
# in big cities); it is kept because it is what finds a moved customer whose
# phone changed too.
#
# The name+address rules find duplicates that share neither phone nor e-mail
# (issue #9) when the data has no city column: the order-free pinyin name with
# the first characters of the canonical address (city and district once the
# province and 省/市/区 are gone) or with the house number, which survives any
# rewriting of the text around it.
_PREDICTION_RULES = (
    BlockingRule(("phone",), ("phone",)),
    BlockingRule(("email",), ("email",)),
    BlockingRule(("id_number",), ("id_number",)),
    BlockingRule(("name_py_sorted", "city"), ("name", "city")),
    BlockingRule(("name_py_sorted", "birthday"), ("name", "birthday")),
    BlockingRule(("name_py_sorted", "postcode"), ("name", "postcode")),
    BlockingRule(("name_surname", "postcode", "birthday"), ("name", "postcode", "birthday")),
    BlockingRule(("birthday", "postcode"), ("birthday", "postcode")),
    BlockingRule(("name_surname", "birthday", "city"), ("name", "birthday", "city")),
    BlockingRule(("email_local", "name_surname"), ("email", "name")),
    BlockingRule(("company", "name_surname"), ("company", "name")),
    BlockingRule(("name_py_sorted", "addr_prefix"), ("name", "address")),
    BlockingRule(("name_py_sorted", "addr_house"), ("name", "address")),
)


def _available(rule: BlockingRule, features: frozenset[str]) -> bool:
    return all(f in features for f in rule.feature_needed)


def blocking_rules_for(features: frozenset[str]) -> list[BlockingRule]:
    return [r for r in _PREDICTION_RULES if _available(r, features)]


# EM needs blocked pairs in which matches are common.  Two rules with disjoint
# columns so every comparison is estimated at least once (a comparison used in
# the blocking rule is not estimated in that session).
_TRAINING_A = (
    BlockingRule(("phone",), ("phone",)),
    BlockingRule(("id_number",), ("id_number",)),
    BlockingRule(("email",), ("email",)),
    BlockingRule(("birthday", "postcode"), ("birthday", "postcode")),
)
_TRAINING_B = (
    BlockingRule(("name_py_sorted", "birthday"), ("name", "birthday")),
    BlockingRule(("name_py_sorted", "postcode"), ("name", "postcode")),
    BlockingRule(("name_py_sorted", "city"), ("name", "city")),
)


def training_rules_for(features: frozenset[str]) -> list[list[BlockingRule]]:
    """Two groups of candidate EM rules, in order of preference.

    The caller trains on the first rule of each group that works (EM can fail
    on a degenerate level, e.g. when no matched pair ever disagrees on e-mail,
    Splink refuses the resulting m = 0).  Group B rules sharing a column with
    the chosen group A rule are left out so both sessions together estimate
    every comparison.
    """
    group_a = [r for r in _TRAINING_A if _available(r, features)]
    group_b = [r for r in _TRAINING_B if _available(r, features)]
    return [group_a, group_b]


def deterministic_rules_for(features: frozenset[str]) -> list[str]:
    """Near-certain matches, used to estimate the prior P(match)."""
    rules = []
    if "phone" in features and "name" in features:
        rules.append('l."phone" = r."phone" AND l."name_py_sorted" = r."name_py_sorted"')
    if "email" in features and "name" in features:
        rules.append('l."email" = r."email" AND l."name_py_sorted" = r."name_py_sorted"')
    if "id_number" in features:
        rules.append('l."id_number" = r."id_number"')
    if "name" in features and "birthday" in features:
        rules.append(
            'l."name_py_sorted" = r."name_py_sorted" AND l."birthday" = r."birthday" '
            'AND length(l."birthday") = 8'
        )
    return rules
