"""Display helpers for customer data: local phone format, and masking for analysts."""

from __future__ import annotations

from django import template
from django.conf import settings

from kehu.core.permissions import mask, mask_email
from kehu.core.text import phone_display

register = template.Library()


@register.simple_tag
def show_phone(value: str, masked: bool = False) -> str:
    shown = phone_display(value, settings.KEHU_DEFAULT_PHONE_REGION)
    return mask(shown, keep_start=3, keep_end=2) if masked and shown else shown


@register.simple_tag
def show_email(value: str, masked: bool = False) -> str:
    return mask_email(value) if masked else value


@register.simple_tag
def show_private(value, masked: bool = False) -> str:
    if value in (None, ""):
        return ""
    return mask(str(value)) if masked else str(value)
