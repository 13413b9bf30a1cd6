"""Integers from a page's query string, read one way everywhere.

A value that is not a plain whole number in range is refused with 400 before it reaches a
query: an id past 2**63 overflows SQLite's driver, a page number past the last row makes an
absurd OFFSET, and silently ignoring a bad filter would show a list the user did not ask for.
"""

from __future__ import annotations

from django.core.exceptions import BadRequest, ValidationError
from django.http import HttpRequest, QueryDict

from kehu.core import validators

# Database ids are bigints at most; filters on smaller columns still compare fine.
MAX_ID = 2**63 - 1
# Page numbers and offsets: far beyond any real list, far below any overflow.
MAX_PAGE = 1_000_000


def int_param(
    source: HttpRequest | QueryDict,
    name: str,
    *,
    default: int | None = None,
    minimum: int = 1,
    maximum: int = MAX_ID,
) -> int | None:
    """``request.GET[name]`` as an int in [minimum, maximum]; ``default`` when absent or
    blank; BadRequest (400) for anything else ("abc", "1,2,3", "１２３", 10**20)."""
    params = source.GET if isinstance(source, HttpRequest) else source
    raw = params.get(name, "")
    if raw is None or str(raw).strip() == "":
        return default
    if len(raw) > 40:
        raise BadRequest(f"The parameter {name!r} is not a whole number.")
    try:
        return validators.clean_integer(raw, minimum=minimum, maximum=maximum)
    except ValidationError as exc:
        raise BadRequest(f"The parameter {name!r} is invalid: {' '.join(exc.messages)}") from None
