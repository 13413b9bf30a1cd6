"""The public web-to-lead form: no sign-in, embeddable in another site's page (an iframe),
spam-protected by a honeypot field and a per-address rate limit (kehu.development.webform).

CSRF is off for this one view: the form changes nothing a signed-in session owns (it only
files a lead), and a page embedded in a third-party site often gets no first-party cookie
to carry a token. A bot that fills the honeypot is thanked like a person and nothing is
saved, so it cannot tell what gave it away.

Embed it with ``<iframe src="https://kehu.example/forms/lead/?lang=zh-hans">``."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csrf import csrf_exempt

from kehu.core import throttle
from kehu.core.middleware import CONTENT_SECURITY_POLICY
from kehu.development import services, webform
from kehu.development.forms import WebLeadForm
from kehu.development.models import Lead


def _embeddable(response: HttpResponse) -> HttpResponse:
    ancestors = getattr(settings, "KEHU_WEB_FORM_FRAME_ANCESTORS", "*")
    response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY.replace(
        "frame-ancestors 'none'", f"frame-ancestors {ancestors}"
    )
    return response


def _language(request: HttpRequest) -> None:
    """``?lang=zh-hans`` (or ``en``): the embedding site picks the form's language; the
    form posts back to the same address, so its answer keeps it."""
    wanted = request.GET.get("lang", "").lower()
    if wanted in {code for code, _name in settings.LANGUAGES}:
        translation.activate(wanted)
        request.LANGUAGE_CODE = wanted


@csrf_exempt
@xframe_options_exempt
def web_lead(request: HttpRequest) -> HttpResponse:
    _language(request)
    form = WebLeadForm(request.POST or None)
    if request.method != "POST":
        return _embeddable(render(request, "development/web_form.html", {"form": form}))
    address = throttle.client_address(request)
    if webform.over_limit(address):
        response = render(
            request, "development/web_form.html", {"form": form, "limited": True}, status=429
        )
        return _embeddable(response)
    spam = form.is_spam
    webform.count_submission(address, spam=spam)
    if spam:
        return _embeddable(render(request, "development/web_form_thanks.html"))
    if not form.is_valid():
        return _embeddable(render(request, "development/web_form.html", {"form": form}, status=400))
    data = form.cleaned_data
    services.lead_create(
        by=None,
        owner=webform.assignee(),
        source=Lead.Source.WEB_FORM,
        name=data["name"],
        company=data["company"],
        phone=data["phone"],
        email=data["email"],
        city=data["city"],
        notes=data["message"],
    )
    return _embeddable(render(request, "development/web_form_thanks.html"))
