"""The REST API under /api/v1/ (django-ninja): token auth per user, the same permission
rules as the web pages, OpenAPI schema at /api/v1/openapi.json and docs at /api/v1/docs."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import URLPattern, URLResolver, re_path
from ninja import NinjaAPI, Swagger
from ninja.openapi.docs import _csrf_needed

from kehu.api import auth, customers, errors, interactions, orders, payments, relations
from kehu.api import balanced as balanced_api
from kehu.api import calendar as calendar_api
from kehu.api import calls as calls_api
from kehu.api import churn as churn_api
from kehu.api import knowledge as knowledge_api
from kehu.api import leads as leads_api
from kehu.api import retention as retention_api
from kehu.api import service_reports as service_reports_api
from kehu.api import suggestions as suggestions_api
from kehu.api import surveys as surveys_api
from kehu.api import tickets as tickets_api
from kehu.privacy import api as privacy_api


class OfflineSwagger(Swagger):
    """Swagger UI from Kehu's own static files (vendor/swagger-ui) instead of a CDN: the
    docs must work on an intranet without internet access."""

    template = "api/swagger.html"
    default_settings = {
        "layout": "BaseLayout",
        "deepLinking": True,
        # Swagger UI would otherwise send the schema to validator.swagger.io for a badge.
        "validatorUrl": None,
    }

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        self.settings["url"] = self.get_openapi_url(api, kwargs)
        context = {
            "swagger_settings": self._settings_json(),
            "api": api,
            "add_csrf": _csrf_needed(api),
        }
        return render(request, self.template, context)

    def _settings_json(self) -> str:
        # "</" cannot end the <script> block the settings are embedded in.
        return json.dumps(self.settings).replace("</", "<\\/")


def _json_errors(view: Callable[..., Any]) -> Callable[..., Any]:
    """ninja answers a wrong method with a plain-text 405, and its root URL raises Http404
    (an HTML page): clients get the JSON error shape instead."""

    @functools.wraps(view)  # keeps csrf_exempt and the other flags ninja sets on the view
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        try:
            response = view(request, *args, **kwargs)
        except Http404:
            return _json_not_found(request)
        if response.status_code == 405 and not response.get("Content-Type", "").startswith(
            "application/json"
        ):
            allowed = response.get("Allow", "")
            response = JsonResponse(
                {"detail": f"Method {request.method} not allowed; use {allowed}."}, status=405
            )
            response["Allow"] = allowed
        return response

    return wrapped


def _json_not_found(request: HttpRequest, **_kwargs: Any) -> HttpResponse:
    return JsonResponse({"detail": "Not found."}, status=404)


class KehuAPI(NinjaAPI):
    """Every answer under /api/v1/ is JSON: an unknown path is a JSON 404 (Django's would be
    an HTML page), a wrong method a JSON 405."""

    def _get_urls(self) -> list[URLResolver | URLPattern]:
        urls: list[URLResolver | URLPattern] = []
        for url in super()._get_urls():
            if isinstance(url, URLPattern):
                url.callback = _json_errors(url.callback)
            urls.append(url)
        # Last, so it only catches what no endpoint matched.
        urls.append(re_path(r"^.*$", _json_not_found, name="not-found"))
        return urls


api = KehuAPI(
    title="Kehu API",
    version="1",
    description=(
        "Customers, relations, interactions, orders, invoices and payments, with the same "
        "permissions as the web pages. Authenticate with `Authorization: Bearer <token>` "
        "(create a token under your account's API tokens page, or `kehu apitoken create`)."
    ),
    urls_namespace="api",
    auth=[auth.BearerToken(), auth.SessionWithCsrf()],
    docs=OfflineSwagger(),
)
errors.install(api)
api.add_decorator(auth.act_as_caller)

api.add_router("", auth.router)
api.add_router("", customers.router)
api.add_router("", relations.router)
api.add_router("", interactions.router)
api.add_router("", orders.router)
api.add_router("", payments.router)
api.add_router("", privacy_api.router)
api.add_router("", churn_api.router)
api.add_router("", leads_api.router)
api.add_router("", retention_api.router)
api.add_router("", tickets_api.router)
api.add_router("", knowledge_api.router)
api.add_router("", calls_api.router)
api.add_router("", calendar_api.router)
api.add_router("", surveys_api.router)
api.add_router("", service_reports_api.router)
api.add_router("", suggestions_api.router)
api.add_router("", balanced_api.router)
