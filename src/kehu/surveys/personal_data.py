"""Survey answers in a personal-data export and erasure (registered in apps.py): the scores
stay for the statistics; comments and free-text answers go."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext_lazy as _

from kehu.core.personal_data import SUMMARY, Source, model_rows, register
from kehu.surveys.models import Question, Response


def _erase(*, customer_ids: Sequence[int], identifiers: Any, by: Any) -> int:
    text_ids = {
        str(pk)
        for pk in Question.objects.filter(kind=Question.Kind.TEXT).values_list("pk", flat=True)
    }
    count = 0
    for response in Response.objects.filter(customer_id__in=customer_ids):
        response.comment = ""
        response.answers = {k: v for k, v in (response.answers or {}).items() if k not in text_ids}
        response._audit_skip = True
        response.save(update_fields=["comment", "answers"])
        count += 1
    return count


def register_sources() -> None:
    register(
        Source(
            key="surveys.responses",
            label=_("Survey answers"),
            rows=lambda ids: model_rows(Response.objects.filter(customer_id__in=ids)),
            erase=_erase,
            audit_fields={"surveys.response": {"comment", "answers", SUMMARY}},
        )
    )
