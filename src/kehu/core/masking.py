"""How personal data is masked for roles that may not see it (analysts): one function for
pages, API, exports and search results, so two views of the same record never reveal more
together than one does alone.

Every mask has a fixed length, so it does not reveal how long the value is either. A phone
keeps its last four digits and nothing else (the call-centre habit of confirming a caller by
them); an e-mail keeps its first character and its domain (the company, not the person);
everything else is hidden whole.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Any


class Mask(StrEnum):
    PHONE = "phone"
    EMAIL = "email"
    DATE = "date"
    WHOLE = "whole"  # ID numbers, street addresses, messaging handles, free text


HIDDEN = "****"
HIDDEN_DATE = "****-**-**"
PHONE_KEPT = 4
# A number shorter than this (an extension, a fragment) would be revealed whole by its last
# four digits: it is hidden entirely.
PHONE_MIN_FOR_TAIL = 8


def mask_value(kind: Mask | str, value: Any) -> str:
    """``value`` as a masked role sees it; empty stays empty (that a field is blank is not
    personal data, and the form's completeness hints rely on it)."""
    if value in (None, ""):
        return ""
    kind = Mask(kind)
    if kind is Mask.PHONE:
        digits = re.sub(r"\D", "", str(value))
        if len(digits) < PHONE_MIN_FOR_TAIL:
            return HIDDEN
        return HIDDEN + digits[-PHONE_KEPT:]
    if kind is Mask.EMAIL:
        text = str(value).strip()
        local, at, domain = text.partition("@")
        if not at or not local:
            return HIDDEN
        return local[0] + HIDDEN + "@" + domain
    if kind is Mask.DATE:
        return HIDDEN_DATE
    return HIDDEN
