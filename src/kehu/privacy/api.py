"""/api/v1/customers/{id}/personal-data: everything held about a person, as a file.

The router lives with its app (layer 5) and is registered by kehu.api.api; errors go
through the API's handlers (403 for a role that may never export, 404 for a customer the
caller may not see or that does not exist, 422 for another format).
"""

from __future__ import annotations

from typing import Literal

from django.http import Http404, HttpRequest, HttpResponse
from ninja import Query, Router, Schema

from kehu.core import permissions
from kehu.customers.models import Customer
from kehu.privacy import services

router = Router(tags=["privacy"])


class ExportQuery(Schema):
    format: Literal["json", "xlsx"] = "json"


class Detail(Schema):
    detail: str


@router.get(
    "/customers/{customer_id}/personal-data",
    response={200: None, 403: Detail, 404: Detail, 422: Detail},
    summary="Export everything held about a person (PIPL / GDPR)",
    description=(
        "The customer record, alternative names, contact points, addresses, relations, "
        "interactions, orders with lines, invoices, payments, tickets, tasks, owner history, "
        "shares, duplicate links, analytics scores and the change history, for the customer "
        "and every record merged into it. Administrators, and managers for their teams' "
        "customers. The export is recorded in the audit trail."
    ),
)
def personal_data(
    request: HttpRequest, customer_id: int, query: Query[ExportQuery]
) -> HttpResponse:
    user = request.auth  # type: ignore[attr-defined]
    customer = (
        permissions.visible_customers(user, include_archived=True).filter(pk=customer_id).first()
    )
    if customer is None or not isinstance(customer, Customer):
        raise Http404
    content, content_type, filename = services.personal_data_export(
        customer=customer, by=user, fmt=query.format
    )
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
