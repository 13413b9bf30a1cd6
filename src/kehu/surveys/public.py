"""The public answer page ``/s/<token>/``: no sign-in, phone-first, in Chinese or English
(``?lang=``, else the visitor's language). A link that is unknown, already answered or
expired is refused with a clear message and nothing changes; a bad answer is shown again with
the field named (400)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.cache import never_cache

from kehu.surveys import services
from kehu.surveys.models import Survey

# Unknown links are "not found"; answered and expired ones are "gone".
REFUSED_STATUS = {"unknown": 404, "used": 410, "expired": 410}


def _language(request: HttpRequest) -> str:
    wanted = request.GET.get("lang", "").lower()
    if wanted in {code for code, _name in settings.LANGUAGES}:
        translation.activate(wanted)
        request.LANGUAGE_CODE = wanted
        return wanted
    return ""


def _scale(survey: Survey) -> list[int]:
    low, high = survey.score_range or (1, 5)
    return list(range(low, high + 1))


@never_cache
def answer(request: HttpRequest, token: str) -> HttpResponse:
    lang = _language(request)
    context: dict = {"lang": lang, "token": token}
    try:
        invitation = services.invitation_for_token(token)
    except services.TokenRefused as refused:
        context["refused"] = refused.reason
        return render(
            request, "surveys/answer.html", context, status=REFUSED_STATUS[refused.reason]
        )
    survey = invitation.survey
    context.update(
        invitation=invitation, survey=survey, scale=_scale(survey),
        questions=list(survey.questions.all()), values=request.POST,
    )  # fmt: skip
    if request.method != "POST":
        return render(request, "surveys/answer.html", context)
    answers = {k[1:]: v for k, v in request.POST.items() if k.startswith("q") and k[1:].isdigit()}
    try:
        services.answer_by_token(
            token=token, score=request.POST.get("score"), comment=request.POST.get("comment", ""),
            answers=answers, by=None,
        )  # fmt: skip
    except services.TokenRefused as refused:
        context["refused"] = refused.reason
        return render(
            request, "surveys/answer.html", context, status=REFUSED_STATUS[refused.reason]
        )
    except ValidationError as error:
        context["errors"] = error.message_dict
        return render(request, "surveys/answer.html", context, status=400)
    return render(request, "surveys/answer_thanks.html", context)
