"""Search keys: what gets indexed for a customer and how a typed query maps onto them."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import phonenumbers

from kehu.core.text import compact, name_keys, national_digits, phone_e164, simplify

MIN_PHONE_DIGITS = 4


def customer_keys(
    *,
    name: str,
    name_en: str = "",
    aliases: Iterable[str] = (),
    phones: Iterable[str] = (),
    emails: Iterable[str] = (),
) -> set[str]:
    keys = {"n:" + k for k in name_keys(name, name_en, *aliases)}
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
    """One typed search turned into index look-ups: exact keys and key prefixes."""

    exact: tuple[str, ...] = ()
    prefixes: tuple[str, ...] = ()
    # A phone or e-mail query from a role that may not search personal data: it matches
    # nothing, whatever is stored (answering would confirm the masked value).
    refused: bool = False

    @property
    def empty(self) -> bool:
        return not self.exact and not self.prefixes and not self.refused


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
    prefixes = {"n:" + key}
    tokens = [t for t in simplify(text).split() if t]
    if len(tokens) > 1:
        prefixes.add("n:" + "".join(reversed(tokens)))
    return Query(prefixes=tuple(sorted(prefixes)))
