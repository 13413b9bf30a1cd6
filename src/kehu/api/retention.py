"""Retention under /api/v1/retention: tasks (list, one, complete with an outcome), exit
reasons (list, record), the policy (read; administrators write a new version) and results
against control. The same rules as the pages: reps act on their own tasks, managers on their
teams', analysts read with the free text masked, partner users only shared customers."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status

from kehu.api.common import ApiRequest, paginate, ref, user_ref, visible_customer
from kehu.api.schemas import READ_ERRORS, WRITE_ERRORS, PageQuery
from kehu.core import permissions
from kehu.core.masking import Mask, mask_value
from kehu.core.permissions import Action
from kehu.retention import selectors, services
from kehu.retention.models import ExitReason, Task

router = Router(tags=["retention"])


def _text(user: Any, value: str) -> str:
    return (
        value if permissions.can(user, Action.SEE_PERSONAL_DATA) else mask_value(Mask.WHOLE, value)
    )


def task_out(task: Task, *, user: Any) -> dict[str, Any]:
    return {
        "id": task.pk,
        "customer": ref(task.customer),
        "kind": task.kind,
        "title": task.title,
        "notes": _text(user, task.notes),
        "due_on": task.due_on,
        "assigned_to": user_ref(task.assigned_to),
        "status": task.status,
        "outcome": task.outcome,
        "trigger": task.trigger,
        "playbook": task.playbook,
        "step": task.step,
        "step_kind": task.step_kind,
        "budget": float(task.budget) if task.budget is not None else None,
        "priority": task.priority,
        "policy_version": task.policy_version.number if task.policy_version else None,
        "done_at": task.done_at,
    }


class TaskOut(Schema):
    id: int
    customer: dict[str, Any] | None
    kind: str
    title: str
    notes: str
    due_on: Any
    assigned_to: dict[str, Any] | None
    status: str
    outcome: str
    trigger: str
    playbook: str
    step: int
    step_kind: str
    budget: float | None
    priority: float
    policy_version: int | None
    done_at: Any


class TaskQuery(PageQuery):
    status: str = Field("open", pattern="^(open|done|cancelled|all)$")
    mine: bool = False


class CompleteIn(Schema):
    outcome: str = Field(..., description="saved | not_reached | left")
    note: str = Field("", max_length=2000)
    reason: str = Field("", description="required when outcome is 'left'")
    reason_text: str = Field("", max_length=2000)


class ExitIn(Schema):
    reason: str
    text: str = Field("", max_length=2000)
    what_happened: str = Field("", max_length=4000)
    what_we_change: str = Field("", max_length=4000)


class PolicyIn(Schema):
    playbooks: dict[str, Any]
    cells: dict[str, Any]
    note: str = Field("", max_length=300)


def _tasks(user: Any, action: Action = Action.VIEW) -> Any:
    qs = Task.objects.select_related("customer", "assigned_to", "policy_version")
    return permissions.restrict(qs, user, action)


@router.get("/retention/tasks", response={200: dict[str, Any], **READ_ERRORS})
def list_tasks(request: ApiRequest, filters: Query[TaskQuery]) -> dict[str, Any]:
    """Tasks of the customers you may see, highest value at risk first."""
    qs = _tasks(request.auth)
    if filters.status != "all":
        qs = qs.filter(status=filters.status)
    if filters.mine:
        qs = qs.filter(assigned_to=request.auth)
    return paginate(
        qs.order_by("-priority", "due_on", "id"),
        limit=filters.limit,
        offset=filters.offset,
        render=lambda t: task_out(t, user=request.auth),
    )


@router.get("/retention/tasks/{task_id}", response={200: TaskOut, **READ_ERRORS})
def get_task(request: ApiRequest, task_id: int) -> dict[str, Any]:
    task = _tasks(request.auth).filter(pk=task_id).first()
    if task is None:
        raise Http404
    return task_out(task, user=request.auth)


@router.post("/retention/tasks/{task_id}/complete", response={200: TaskOut, **WRITE_ERRORS})
def complete_task(request: ApiRequest, task_id: int, payload: CompleteIn) -> dict[str, Any]:
    """Close a task with its outcome; the contact is logged on the customer's timeline."""
    user = request.auth
    permissions.require(user, Action.LOG_INTERACTION)
    task = _tasks(user, Action.LOG_INTERACTION).filter(pk=task_id).first()
    if task is None:
        raise Http404
    exit_ = None
    if payload.outcome == Task.Outcome.LEFT:
        exit_ = services.ExitInput(reason=payload.reason, text=payload.reason_text)
    task = services.complete_task(
        task=task, outcome=payload.outcome, note=payload.note, exit=exit_, by=user
    )
    return task_out(task, user=user)


def exit_out(e: ExitReason, *, user: Any) -> dict[str, Any]:
    return {
        "id": e.pk,
        "customer": ref(e.customer),
        "reason": e.reason,
        "text": _text(user, e.text),
        "what_happened": _text(user, e.what_happened),
        "what_we_change": e.what_we_change,
        "left_on": e.left_on,
        "tier": e.tier,
        "won_back_on": e.won_back_on,
        "revenue_regained": float(e.revenue_regained),
    }


@router.get("/retention/exit-reasons", response={200: dict[str, Any], **READ_ERRORS})
def list_exit_reasons(request: ApiRequest, filters: Query[PageQuery]) -> dict[str, Any]:
    qs = permissions.restrict(ExitReason.objects.select_related("customer"), request.auth)
    return paginate(
        qs.order_by("-left_on", "-id"),
        limit=filters.limit,
        offset=filters.offset,
        render=lambda e: exit_out(e, user=request.auth),
    )


@router.post("/customers/{customer_id}/exit-reason", response={201: dict[str, Any], **WRITE_ERRORS})
def record_exit(request: ApiRequest, customer_id: int, payload: ExitIn) -> Status:
    user = request.auth
    permissions.require(user, Action.LOG_INTERACTION)
    customer = visible_customer(user, customer_id)
    record = services.record_exit(
        customer=customer,
        by=user,
        exit=services.ExitInput(**payload.model_dump()),
        left_on=timezone.localdate(),
    )
    return Status(201, exit_out(record, user=user))


def policy_out(version: Any) -> dict[str, Any]:
    return {
        "version": version.number,
        "playbooks": version.playbooks,
        "cells": version.cells,
        "note": version.note,
        "created_at": version.created_at,
        "created_by": user_ref(version.created_by),
    }


@router.get("/retention/policy", response={200: dict[str, Any], **WRITE_ERRORS})
def get_policy(request: ApiRequest) -> dict[str, Any]:
    permissions.require(request.auth, Action.SEE_REPORTS)
    return policy_out(services.current_policy())


@router.post("/retention/policy", response={201: dict[str, Any], **WRITE_ERRORS})
def save_policy(request: ApiRequest, payload: PolicyIn) -> Status:
    """A new version of the policy (administrators)."""
    permissions.require(request.auth, Action.EDIT_RETENTION_POLICY)
    version = services.policy_save(
        playbooks=payload.playbooks, cells=payload.cells, note=payload.note, by=request.auth
    )
    return Status(201, policy_out(version))


@router.get("/retention/results", response={200: list[dict[str, Any]], **WRITE_ERRORS})
def list_results(request: ApiRequest) -> list[dict[str, Any]]:
    permissions.require(request.auth, Action.SEE_REPORTS)
    return [
        {"group": g, "name": name, "customers": n}
        for g, name, n in selectors.groups(user=request.auth)
    ]


@router.get("/retention/results/{group}", response={200: dict[str, Any], **WRITE_ERRORS})
def get_results(request: ApiRequest, group: str) -> dict[str, Any]:
    """Treated vs control per customer, the Welch lift with its 95 % interval."""
    permissions.require(request.auth, Action.SEE_REPORTS)
    result = selectors.results(user=request.auth, group=group)
    if result.error == "none":
        raise Http404
    return {
        "group": result.group,
        "name": result.name,
        "treated": result.n_treated,
        "control": result.n_control,
        "offer_cost": result.offer_cost,
        "customers_saved": result.customers_saved,
        "profit_saved": result.profit_saved,
        "metrics": {
            key: {
                "treated_mean": m.treated_mean,
                "control_mean": m.control_mean,
                "lift": m.lift,
                "ci_low": m.ci_low,
                "ci_high": m.ci_high,
                "p_value": m.p_value,
                "interval_includes_zero": m.includes_zero,
            }
            for key, m in result.metrics.items()
        },
    }
