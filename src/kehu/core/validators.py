"""The validators behind every way data enters Kehu: forms, the API and imports (G1).

Each returns the cleaned value or raises django.core.exceptions.ValidationError with a
message a user can act on.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.dateparse import parse_datetime
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


# The one rule for when business happened (orders, payments, invoices, "customer since"):
# not before 1900 (older dates are typing errors, and year 1 overflows time-zone arithmetic)
# and not after tomorrow (a day of slack for time zones and clocks, as for interactions).
EARLIEST_BUSINESS_DATE = dt.date(1900, 1, 1)
BUSINESS_FUTURE_SLACK = dt.timedelta(days=1)
# Date-times anywhere (filters, interaction times) stay well inside what Python and the
# databases can convert between time zones; outside it nothing real happened.
EARLIEST_DATETIME_YEAR = 1900
LATEST_DATETIME_YEAR = 2999


def business_date_bounds(today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    today = today or timezone.localdate()
    return EARLIEST_BUSINESS_DATE, today + BUSINESS_FUTURE_SLACK


def clean_business_date(value: str | dt.date | None) -> dt.date | None:
    """A date on which business happened: an order, a payment, an acquisition."""
    earliest, latest = business_date_bounds()
    return clean_date(value, earliest=earliest, latest=latest)


def clean_datetime(
    value: str | dt.datetime | None,
    *,
    earliest: dt.datetime | None = None,
    latest: dt.datetime | None = None,
) -> dt.datetime | None:
    """An aware date-time (naive ones are read in the current time zone) between the years
    1900 and 2999, so converting it to UTC can never overflow."""
    if value is None or value == "":
        return None
    if not isinstance(value, dt.datetime):
        text = str(value).strip()
        try:
            parsed = parse_datetime(text)
            if parsed is None:
                day = clean_date(text)
                parsed = dt.datetime.combine(day, dt.time()) if day else None
        except (ValueError, ValidationError):
            parsed = None
        if parsed is None:
            raise ValidationError(
                _("“%(value)s” is not a date and time (use YYYY-MM-DD HH:MM)."),
                code="datetime",
                params={"value": text[:40]},
            )
        value = parsed
    if not EARLIEST_DATETIME_YEAR <= value.year <= LATEST_DATETIME_YEAR:
        raise ValidationError(
            _("The year must be between %(earliest)s and %(latest)s."),
            code="range",
            params={"earliest": EARLIEST_DATETIME_YEAR, "latest": LATEST_DATETIME_YEAR},
        )
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    if earliest and value < earliest:
        raise ValidationError(
            _("The time may not be before %(date)s."), code="range", params={"date": earliest}
        )
    if latest and value > latest:
        raise ValidationError(
            _("The time may not be after %(date)s."), code="range", params={"date": latest}
        )
    return value


# One way to read a number typed by a person. Thousands separators only in groups of three
# ("1,280.50"), ASCII digits only: "1,2,3" could be a list or 1.23 in another locale, and
# full-width "１２３" usually means the input method was in the wrong mode, so both are
# refused rather than guessed. A currency sign in front is allowed ("¥99").
_NUMBER = re.compile(
    r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:[eE][+-]?\d{1,4})?|[+-]?\.\d+", re.ASCII
)
_CURRENCY = "¥￥$"


def parse_number(value: object) -> Decimal:
    """The number in ``value`` (int, Decimal, float or text), or a ValidationError saying why
    it is not one. No range checks: the callers know the range."""
    if isinstance(value, bool):
        raise ValidationError(
            _("“%(value)s” is not a number."), code="number", params={"value": value}
        )
    if isinstance(value, int | Decimal):
        number = Decimal(value)
    elif isinstance(value, float):
        number = Decimal(repr(value)) if value == value else Decimal("NaN")
    else:
        text = str(value).strip().lstrip(_CURRENCY).strip()
        if any(ch.isdigit() and not ch.isascii() for ch in text):
            raise ValidationError(
                _("“%(value)s” contains full-width or other non-ASCII digits; type 0-9."),
                code="number",
                params={"value": value},
            )
        if not _NUMBER.fullmatch(text):
            code = "ambiguous" if "," in text else "number"
            message = (
                _("“%(value)s” is ambiguous: use commas only between groups of three digits.")
                if code == "ambiguous"
                else _("“%(value)s” is not a number.")
            )
            raise ValidationError(message, code=code, params={"value": value})
        number = Decimal(text.replace(",", ""))
    if not number.is_finite():
        raise ValidationError(_("The number must be finite."), code="number")
    return number


def clean_decimal(
    value: object, *, minimum: Decimal | None = None, maximum: Decimal | None = None
) -> Decimal | None:
    if value is None or value == "":
        return None
    number = parse_number(value)
    if minimum is not None and number < minimum:
        raise ValidationError(_("Must be at least %(min)s."), code="range", params={"min": minimum})
    if maximum is not None and number > maximum:
        raise ValidationError(_("Must be at most %(max)s."), code="range", params={"max": maximum})
    return number


def clean_integer(
    value: object, *, minimum: int | None = None, maximum: int | None = None
) -> int | None:
    """A whole number, by the same reading as ``clean_decimal`` ("1,000" yes, "1,2,3" and
    "１２３" no, "2.5" no)."""
    number = clean_decimal(
        value,
        minimum=None if minimum is None else Decimal(minimum),
        maximum=None if maximum is None else Decimal(maximum),
    )
    if number is None:
        return None
    if number != number.to_integral_value():
        raise ValidationError(
            _("“%(value)s” is not a whole number."), code="integer", params={"value": value}
        )
    return int(number)


def clean_choice(value: str | None, choices) -> str:
    """Accept a choice by its stored value or its label in either language."""
    if value is None or str(value).strip() == "":
        return ""
    text = str(value).strip()
    lowered = text.lower()
    for stored, label in choices:
        if lowered == str(stored).lower() or lowered == str(label).lower():
            return stored
    raise ValidationError(
        _("“%(value)s” is not one of: %(allowed)s."),
        code="choice",
        params={"value": text, "allowed": allowed_choices(choices)},
    )


def allowed_choices(choices) -> str:
    """Each stored value once, with its label: "M (Male), F (Female)".

    ``choices`` may name a value several times (an import accepts the label in both languages
    and extra words); the first label is the one shown, so callers list the label in the
    user's language (a lazy label) first."""
    shown: dict[str, str] = {}
    for stored, label in choices:
        key = str(stored)
        if key not in shown:
            label_text = str(label)
            shown[key] = key if label_text.lower() == key.lower() else f"{key} ({label_text})"
    return ", ".join(shown.values())
