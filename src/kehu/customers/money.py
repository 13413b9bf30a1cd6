"""Money as people read it, the same on pages, exports and the API: the currency sign,
thousands separators and a fixed number of decimals, computed on ``Decimal`` so no float
noise (``0.30000000000000004``) can show."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.conf import settings

DEFAULT_SYMBOL = "¥"


def currency_symbol() -> str:
    return getattr(settings, "KEHU_CURRENCY_SYMBOL", DEFAULT_SYMBOL)


def to_decimal(value: object, places: int = 2) -> Decimal | None:
    """``value`` rounded half-up to ``places`` decimals; None for empty or non-numbers.
    A float goes through its shortest text form (``repr``), never its binary expansion."""
    if value in (None, ""):
        return None
    try:
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    if not number.is_finite():
        return None
    return number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def format_money(value: object, *, places: int = 2, symbol: str | None = None) -> str:
    """ "¥12,345.60" / "-¥1,000": sign first, then the currency symbol; "" for no value.
    Chinese and English write amounts alike (comma groups of three, point for decimals)."""
    number = to_decimal(value, places)
    if number is None:
        return ""
    sign = "-" if number < 0 else ""
    symbol = currency_symbol() if symbol is None else symbol
    return f"{sign}{symbol}{abs(number):,.{places}f}"
