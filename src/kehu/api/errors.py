"""Every failure the API can meet becomes a JSON 4xx, never a 500 or an HTML page.

One shape for all of them: ``{"detail": "message"}`` for 400/401/403/404/405/409 (412 adds
the current version and what changed) and
``{"detail": [{"loc": [...], "msg": "...", "type": "..."}]}`` for 422, whether the error came
from ninja's schema validation (wrong types, missing fields) or from the shared validators and
``Model.full_clean`` (Django ``ValidationError``), so clients parse one format.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import (
    NON_FIELD_ERRORS,
    BadRequest,
    ObjectDoesNotExist,
    PermissionDenied,
)
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError, IntegrityError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from kehu.customers.concurrency import MergedAway, StaleCustomer

logger = logging.getLogger(__name__)

# The body parameter of every write operation is called ``payload``; ninja puts that Python
# name into ``loc`` (["body", "payload", "name"]), which means nothing to a client.
BODY_PARAM = "payload"
MAX_MESSAGE = 300


class Conflict(HttpError):
    """The request is valid but clashes with the record's state (e.g. editing an archived
    customer)."""

    def __init__(self, message: str) -> None:
        super().__init__(409, message)


def _loc(key: str) -> list[str | int]:
    """``"lines.2.product_id"`` → ``["body", "lines", 2, "product_id"]``: services and the
    API's own checks name nested fields with dots, clients get the same path ninja uses."""
    if key == NON_FIELD_ERRORS:
        return ["body"]
    parts: list[str | int] = ["body"]
    for part in key.split("."):
        parts.append(int(part) if part.isdigit() else part)
    return parts


def validation_items(exc: DjangoValidationError) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            for error in errors:
                items.extend(_items_for(field, error))
    else:
        for error in exc.error_list:
            items.extend(_items_for(NON_FIELD_ERRORS, error))
    return items


def _short(message: Any) -> str:
    # The shared validators quote the rejected value; a megabyte of it helps no one.
    text = str(message)
    return text if len(text) <= MAX_MESSAGE else text[: MAX_MESSAGE - 1] + "…"


def _items_for(field: str, error: DjangoValidationError) -> list[dict[str, Any]]:
    return [
        {"loc": _loc(field), "msg": _short(message), "type": error.code or "invalid"}
        for message in error.messages
    ]


def install(api: NinjaAPI) -> None:
    """Register the handlers on ``api`` (called once from kehu.api.api)."""

    def respond(request: HttpRequest, detail: Any, status: int) -> HttpResponse:
        return api.create_response(request, {"detail": detail}, status=status)

    @api.exception_handler(NinjaValidationError)
    def schema_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        items = []
        for error in exc.errors:
            loc = list(error.get("loc", ()))
            if len(loc) > 2 and loc[0] == "body" and loc[1] == BODY_PARAM:
                del loc[1]
            # "ctx" can hold the rejected input (a 10 MB string, say): keep the answer small.
            # Our own validators' messages come through pydantic as "Value error, …".
            msg = str(error.get("msg", "")).removeprefix("Value error, ")
            items.append({"loc": loc, "msg": _short(msg), "type": error.get("type")})
        return respond(request, items, 422)

    @api.exception_handler(DjangoValidationError)
    def django_validation_error(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
        return respond(request, validation_items(exc), 422)

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        response = respond(request, "Authentication required.", 401)
        response["WWW-Authenticate"] = 'Bearer realm="kehu"'
        return response

    @api.exception_handler(PermissionDenied)
    def forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return respond(request, "Your role may not do this.", 403)

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        # Also the answer for records the user may not see, so it never says which.
        return respond(request, "Not found.", 404)

    @api.exception_handler(ObjectDoesNotExist)
    def does_not_exist(request: HttpRequest, exc: ObjectDoesNotExist) -> HttpResponse:
        return respond(request, "Not found.", 404)

    @api.exception_handler(StaleCustomer)
    def stale(request: HttpRequest, exc: StaleCustomer) -> HttpResponse:
        body = {
            "detail": exc.message,
            "current_version": exc.current,
            "changes": [change.as_dict() for change in exc.changes()],
        }
        response = api.create_response(request, body, status=412)
        response["ETag"] = f'"{exc.current}"'
        return response

    @api.exception_handler(MergedAway)
    def merged_away(request: HttpRequest, exc: MergedAway) -> HttpResponse:
        return respond(request, exc.message, 409)

    @api.exception_handler(BadRequest)
    def bad_request(request: HttpRequest, exc: BadRequest) -> HttpResponse:
        return respond(request, _short(exc) or "Bad request.", 400)

    @api.exception_handler(IntegrityError)
    def integrity_error(request: HttpRequest, exc: IntegrityError) -> HttpResponse:
        # full_clean catches the usual duplicates first; this is the race between two writers.
        # The database's message names tables and constraints, so it stays in the log.
        logger.info("API integrity error: %s", exc)
        return respond(request, "The change conflicts with existing data.", 409)

    @api.exception_handler(DataError)
    def data_error(request: HttpRequest, exc: DataError) -> HttpResponse:
        logger.info("API data error: %s", exc)
        return respond(
            request,
            [{"loc": ["body"], "msg": "A value cannot be stored (out of range?).", "type": "data"}],
            422,
        )
