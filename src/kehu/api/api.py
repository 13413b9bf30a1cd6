"""The REST API under /api/v1/ (django-ninja): token auth per user, the same permission
rules as the web pages, OpenAPI schema at /api/v1/openapi.json and docs at /api/v1/docs."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from ninja import NinjaAPI, Swagger
from ninja.openapi.docs import _csrf_needed

from kehu.api import auth, customers, errors, interactions, orders, payments, relations


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


api = NinjaAPI(
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
