"""The validators behind every way data enters Kehu: forms, the API and imports (G1).

Each returns the cleaned value or raises django.core.exceptions.ValidationError with a
message a user can act on.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from kehu.core.text import phone_e164

DATE_FORMATS = ("%Y-%m-%d", "%Y%m%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日")
# The common spelling, parsed without strptime (slow per call, most of it in locale
# look-ups; bench/README.md); anything else, or a day that doesn't exist, takes the format
# loop.
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")


def clean_phone(value: str | None, *, region: str | None = None) -> str:
    """Any common format in, E.164 out; '' stays ''."""
    if value is None or not str(value).strip():
        return ""
    e164 = phone_e164(str(value), region or settings.KEHU_DEFAULT_PHONE_REGION)
    if e164 is None:
        raise ValidationError(
            _("“%(value)s” is not a valid phone number."), code="phone", params={"value": value}
        )
    return e164


# A plain address (dot-atom local part, LDH labels, letter TLD) that Django's validator
# certainly accepts; it costs a tenth of the validator, which still judges everything else.
_PLAIN_EMAIL = re.compile(
    r"[A-Za-z0-9_%+-]+(?:\.[A-Za-z0-9_%+-]+)*"
    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}",
    re.ASCII,
)


def clean_email(value: str | None) -> str:
    if value is None or not str(value).strip():
        return ""
    email = str(value).strip()
    if len(email) > 320 or not _PLAIN_EMAIL.fullmatch(email):
        validate_email(email)
    local, _sep, domain = email.rpartition("@")
    return f"{local}@{domain.lower()}"


def clean_date(
    value: str | dt.date | None,
    *,
    earliest: dt.date | None = None,
    latest: dt.date | None = None,
) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        value = value.date()
    if not isinstance(value, dt.date):
        text = str(value).strip()
        iso = _ISO_DATE.fullmatch(text)
        if iso:
            with contextlib.suppress(ValueError):  # no such day: the loop words the error
                value = dt.date(int(iso[1]), int(iso[2]), int(iso[3]))
    if not isinstance(value, dt.date):
        for fmt in DATE_FORMATS:
            try:
                value = dt.datetime.strptime(text, fmt).date()
                break
            except ValueError:
                continue
        else:
            raise ValidationError(
                _("“%(value)s” is not a date (use YYYY-MM-DD)."),
                code="date",
                params={"value": text},
            )
    if earliest and value < earliest:
        raise ValidationError(
            _("The date may not be before %(date)s."), code="range", params={"date": earliest}
        )
    if latest and value > latest:
        raise ValidationError(
            _("The date may not be after %(date)s."), code="range", params={"date": latest}
        )
    return value


def clean_no_nul(value: str) -> str:
    """Text with a NUL character is refused: PostgreSQL cannot store it and it is never
    typed on purpose (Django's form fields refuse it the same way)."""
    if "\x00" in value:
        raise ValidationError(_("Null characters are not allowed."), code="null_characters")
    return value


def clean_birthday(value: str | dt.date | None) -> dt.date | None:
    if value is None or value == "":
        return None
    today = dt.date.today()
    return clean_date(value, earliest=dt.date(today.year - 120, 1, 1), latest=today)


def clean_decimal(
    value: object, *, minimum: Decimal | None = None, maximum: Decimal | None = None
) -> Decimal | None:
    if value is None or value == "":
        return None
    text = re.sub(r"[,\s¥￥$]", "", str(value))
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValidationError(
            _("“%(value)s” is not a number."), code="number", params={"value": value}
        ) from None
    if not number.is_finite():
        raise ValidationError(_("The number must be finite."), code="number")
    if minimum is not None and number < minimum:
        raise ValidationError(_("Must be at least %(min)s."), code="range", params={"min": minimum})
    if maximum is not None and number > maximum:
        raise ValidationError(_("Must be at most %(max)s."), code="range", params={"max": maximum})
    return number


def clean_choice(value: str | None, choices) -> str:
    """Accept a choice by its stored value or its label in either language."""
    if value is None or str(value).strip() == "":
        return ""
    text = str(value).strip()
    lowered = text.lower()
    for stored, label in choices:
        if lowered == str(stored).lower() or lowered == str(label).lower():
            return stored
    allowed = ", ".join(str(stored) for stored, _label in choices)
    raise ValidationError(
        _("“%(value)s” is not one of: %(allowed)s."),
        code="choice",
        params={"value": text, "allowed": allowed},
    )
