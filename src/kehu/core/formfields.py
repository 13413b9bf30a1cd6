"""Form fields that read input with the shared validators, so a form accepts exactly what
the API and the importer accept (kehu.core.validators)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from kehu.core import validators


class StrictIntegerField(forms.IntegerField):
    """Django's IntegerField reads "１２３" (full-width digits) as 123; this one refuses it,
    and "1,2,3", as the shared number parser does. Range checks stay Django's (min_value,
    max_value and the model field's validators)."""

    def to_python(self, value: Any) -> int | None:
        if value in self.empty_values:
            return None
        try:
            return validators.clean_integer(value)
        except ValidationError as exc:
            raise ValidationError(exc.messages, code="invalid") from None
