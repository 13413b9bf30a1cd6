"""The REST API under /api/v1/ (django-ninja): token auth per user, the same permission
rules as the web pages, OpenAPI schema at /api/v1/openapi.json and docs at /api/v1/docs."""

from __future__ import annotations

from ninja import NinjaAPI

api = NinjaAPI(title="Kehu API", version="1", urls_namespace="api")
