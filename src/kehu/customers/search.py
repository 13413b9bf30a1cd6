"""Search keys: what gets indexed for a customer and how a typed query maps onto them.

A customer's keys (rows of ``SearchKey``), by prefix:

- ``n:`` whole-name forms (simplified, pinyin, initials, English, aliases): exact and
  prefix matches;
- ``g:`` every pair of adjacent Han characters of a name form: any Chinese substring of
  two characters or more (a two-character query is one key; a longer one needs all of its
  pairs, then is checked against the ``n:`` keys, since pairs say nothing of order);
- ``w:`` the rest of a name from each inner pinyin syllable or Latin word on ("wenlin",
  "lin" of 李文琳; "qimingbuildingmaterials…"): a syllable or word inside a name is a
  prefix of one of them;
- ``t:`` / ``r:`` phones (E.164 digits, reversed national digits for "last four digits"),
  ``e:`` e-mails.

A query is answered in three tiers, best first: keys equal to it (exact), keys starting
with it (prefix), substring keys (``g:``/``w:``). Trigram indexes (pg_trgm, FTS5 trigram)
cannot answer two-character Chinese queries, the commonest kind; one B-tree on
(key, customer_id) answers all three tiers on PostgreSQL and SQLite alike, and for an
exact key it hands the postings over newest customer first, so a broad query stops after
a page's worth (figures: bench/README.md, "The search benchmark")."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import phonenumbers

from kehu.core.text import (
    compact,
    has_han,
    name_keys,
    national_digits,
    phone_e164,
    pinyin_syllables,
    simplify,
)

MIN_PHONE_DIGITS = 4
# ``w:`` keys are cut to this many characters: the index stays small, and a longer query
# (rare) is checked against the whole-name keys instead (``Query.verify``).
WORD_KEY_MAX = 24
NAME, BIGRAM, WORD, HEAD = "n:", "g:", "w:", "h:"
# ``h:`` keys: the first one and two Han characters of each whole-name form.
HEAD_MAX = 2

_HAN_CHAR = re.compile(r"[\u3400-\u9fff]")
_WORD_SPLIT = re.compile(r"[\s\-_.,，。·・'\"()（）/\\&+]+")


def _is_han(char: str) -> bool:
    return _HAN_CHAR.match(char) is not None


@lru_cache(maxsize=200_000)
def substring_keys(name: str) -> frozenset[str]:
    """The ``g:`` and ``w:`` keys of one name form (cached: a million customers share far
    fewer names, and pinyin is the slow part)."""
    keys: set[str] = set()
    base = compact(name)
    pairs = zip(base, base[1:], strict=False)
    keys.update(BIGRAM + a + b for a, b in pairs if _is_han(a) and _is_han(b))
    if has_han(base):
        syllables = pinyin_syllables(base)
        keys.update(WORD + "".join(syllables[i:])[:WORD_KEY_MAX] for i in range(1, len(syllables)))
    words = [w for w in _WORD_SPLIT.split(simplify(name)) if w and not has_han(w)]
    keys.update(WORD + "".join(words[i:])[:WORD_KEY_MAX] for i in range(1, len(words)))
    keys.discard(WORD)
    return frozenset(keys)


def head_keys(forms: Iterable[str]) -> set[str]:
    """The ``h:`` keys of whole-name forms (``n:`` keys without their prefix): their first
    one and two characters when Han. "Names starting with 王" is then one key whose
    customers the (key, customer_id) index hands over newest first, where the prefix
    n:王% (135,000 keys at 1,000,000 customers) had to be read whole and sorted."""
    keys = set()
    for form in forms:
        for n in range(1, HEAD_MAX + 1):
            head = form[:n]
            if len(head) == n and all(_is_han(c) for c in head):
                keys.add(HEAD + head)
    return keys


def customer_keys(
    *,
    name: str,
    name_en: str = "",
    aliases: Iterable[str] = (),
    phones: Iterable[str] = (),
    emails: Iterable[str] = (),
) -> set[str]:
    names = [name, name_en, *aliases]
    forms = name_keys(*names)
    keys = {NAME + k for k in forms} | head_keys(forms)
    for form in names:
        if form:
            keys |= substring_keys(form)
    for phone in phones:
        if phone:
            keys.add("t:" + phone.lstrip("+"))
            keys.add("r:" + national_digits(phone)[::-1])
    for email in emails:
        if email:
            keys.add("e:" + email.strip().lower())
    return {k[:200] for k in keys}


@dataclass(frozen=True)
class Query:
    """One typed search turned into index look-ups, tier by tier: keys equal to the query
    (``exact``), keys starting with it (``prefixes``), and the substring tier: customers
    holding every key of ``all_of`` (Han pairs) or a key starting with one of
    ``inner_prefixes`` (``w:``), whose whole-name keys contain ``verify`` when it is set."""

    exact: tuple[str, ...] = ()
    prefixes: tuple[str, ...] = ()
    # The same customers as ``prefixes`` as exact keys (``h:``), when the query is one or
    # two Han characters: a broad query reads them newest first from the index.
    heads: tuple[str, ...] = ()
    all_of: tuple[str, ...] = ()
    inner_prefixes: tuple[str, ...] = ()
    verify: str = ""
    # A phone or e-mail query from a role that may not search personal data: it matches
    # nothing, whatever is stored (answering would confirm the masked value).
    refused: bool = False

    @property
    def empty(self) -> bool:
        return not (self.exact or self.prefixes or self.all_of or self.inner_prefixes) and (
            not self.refused
        )


def parse_query(text: str, *, region: str = "CN", personal: bool = True) -> Query:
    """``personal=False`` (masked roles): only the name keys are searched."""
    text = (text or "").strip()
    if not text:
        return Query()
    digits = re.sub(r"\D", "", text)
    phone_like = re.fullmatch(r"[+\d\s\-().]+", text) is not None
    if not personal and ("@" in text or (phone_like and len(digits) >= MIN_PHONE_DIGITS)):
        return Query(refused=True)
    if "@" in text:
        return Query(prefixes=("e:" + text.lower(),))
    if phone_like and len(digits) >= MIN_PHONE_DIGITS:
        e164 = phone_e164(text, region)
        if e164:
            return Query(exact=("t:" + e164.lstrip("+"),))
        # A fragment: the start of the number (with or without the country code), or (the
        # call-centre habit) its last digits.
        country = str(phonenumbers.country_code_for_region(region))
        return Query(prefixes=("t:" + digits, "t:" + country + digits, "r:" + digits[::-1]))
    key = compact(text)
    if not key:
        return Query()
    forms = {key}
    tokens = [t for t in simplify(text).split() if t]
    if len(tokens) > 1:
        forms.add("".join(reversed(tokens)))
    names = tuple(sorted(NAME + f for f in forms))
    if all(_is_han(c) for c in key):
        # Every form must be a whole head (one or two Han characters) to stand for it.
        whole = all(len(f) <= HEAD_MAX and all(map(_is_han, f)) for f in forms)
        heads = tuple(sorted(HEAD + f for f in forms)) if whole else ()
        if len(key) < 2:
            return Query(exact=names, prefixes=names, heads=heads)
        pairs = tuple(sorted({BIGRAM + a + b for a, b in zip(key, key[1:], strict=False)}))
        # Pairs say nothing of their order: three characters or more are checked whole.
        verify = key if len(key) > 2 else ""
        return Query(exact=names, prefixes=names, heads=heads, all_of=pairs, verify=verify)
    if not has_han(key) and len(key) >= 2:
        inner = tuple(sorted({WORD + f[:WORD_KEY_MAX] for f in forms}))
        long_form = max(forms, key=len)
        verify = key if len(long_form) > WORD_KEY_MAX and len(forms) == 1 else ""
        return Query(exact=names, prefixes=names, inner_prefixes=inner, verify=verify)
    return Query(exact=names, prefixes=names)
