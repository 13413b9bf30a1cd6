"""A refused choice lists each allowed value once, with its label in the user's language."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy, override

from kehu.core.validators import clean_choice

GENDER = [("F", gettext_lazy("Female")), ("M", gettext_lazy("Male"))]


def refusal(value, choices) -> str:
    with pytest.raises(ValidationError) as caught:
        clean_choice(value, choices)
    return caught.value.messages[0]


def test_each_value_once_with_its_label_in_english():
    with override("en"):
        assert refusal("X", GENDER + [("F", "女"), ("M", "男")]).endswith(
            "is not one of: F (Female), M (Male)."
        )


def test_label_follows_the_language():
    with override("zh-hans"):
        message = refusal("X", GENDER)
    assert "F (女)" in message and "M (男)" in message


def test_a_label_equal_to_its_value_is_not_repeated():
    with override("en"):
        assert refusal("c", [("a", "A"), ("b", "Bee")]).endswith("is not one of: a, b (Bee).")
