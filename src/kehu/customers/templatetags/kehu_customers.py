"""Display helpers for customer data: local phone format, and masking for roles that see
personal data masked (one mask, ``kehu.core.masking``, the same as the API and exports)."""

from __future__ import annotations

from django import template
from django.conf import settings

from kehu.core.masking import Mask, mask_value
from kehu.core.text import phone_display
from kehu.customers.money import format_money

register = template.Library()


@register.simple_tag
def show_phone(value: str, masked: bool = False) -> str:
    if masked:
        return mask_value(Mask.PHONE, value)
    return phone_display(value, settings.KEHU_DEFAULT_PHONE_REGION)


@register.simple_tag
def show_email(value: str, masked: bool = False) -> str:
    return mask_value(Mask.EMAIL, value) if masked else value


@register.simple_tag
def show_private(value, masked: bool = False) -> str:
    if value in (None, ""):
        return ""
    return mask_value(Mask.WHOLE, value) if masked else str(value)


@register.simple_tag
def show_date(value, masked: bool = False) -> str:
    if value in (None, ""):
        return ""
    return mask_value(Mask.DATE, value) if masked else str(value)


@register.filter
def money(value, places: int = 2) -> str:
    """An amount as people read it: currency sign, thousands separators, a fixed number of
    decimals (``Decimal`` arithmetic, so no float noise such as 0.30000000000000004)."""
    return format_money(value, places=int(places))


@register.filter
def percent(value) -> str:
    """A probability (0–1) as a whole percentage."""
    if value in (None, ""):
        return ""
    return f"{round(float(value) * 100)}%"


@register.filter
def buying_pattern(value: object) -> str:
    """An RFM segment (code or label) as a buying pattern (kehu.customers.buying_pattern)."""
    from kehu.customers.buying_pattern import pattern

    return pattern(value)
