"""The retention policy's shape, its default, and the check every edit passes (D2).

A policy is data: playbooks (ordered steps, the share held back as control) and a table
tier × risk band → playbook. The default follows the seed's rule: key customers are retained
at all costs, major ones we try hard for, ordinary ones as chances allow, small ones are not
pursued. Low-risk cells name no playbook: only a trigger (complaint past its deadline, spend
down, …) raises a task there, and then the tier's medium-band playbook applies.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

TIERS = ("key", "major", "ordinary", "small")
BANDS = ("high", "medium", "low")
STEP_KINDS = ("call", "visit", "offer", "none")
DEFAULT_CONTROL_SHARE = 0.10
MAX_STEPS = 10

DEFAULT_PLAYBOOKS: dict[str, dict[str, Any]] = {
    "all_costs": {
        "name": "Key: retain at all costs",
        "control_share": DEFAULT_CONTROL_SHARE,
        "steps": [
            {"kind": "call", "within_days": 2},
            {"kind": "visit", "within_days": 7},
            {"kind": "offer", "within_days": 14, "budget": 5000},
        ],
    },
    "try_hard": {
        "name": "Major: try hard",
        "control_share": DEFAULT_CONTROL_SHARE,
        "steps": [
            {"kind": "call", "within_days": 3},
            {"kind": "offer", "within_days": 10, "budget": 1000},
        ],
    },
    "as_chances": {
        "name": "Ordinary: as chances allow",
        "control_share": DEFAULT_CONTROL_SHARE,
        "steps": [{"kind": "call", "within_days": 7}],
    },
    # Lost customers of high value (key, major) with their last exit reason (D4).
    "win_back": {
        "name": "Win-back: lost high-value customers",
        "control_share": DEFAULT_CONTROL_SHARE,
        "steps": [
            {"kind": "call", "within_days": 7},
            {"kind": "offer", "within_days": 21, "budget": 500},
        ],
    },
    "not_pursued": {
        "name": "Small: not pursued",
        "control_share": 0.0,
        "steps": [{"kind": "none"}],
    },
}
WIN_BACK = "win_back"
WIN_BACK_TIERS = ("key", "major")
DEFAULT_CELLS: dict[str, dict[str, str]] = {
    "key": {"high": "all_costs", "medium": "all_costs"},
    "major": {"high": "try_hard", "medium": "try_hard"},
    "ordinary": {"high": "as_chances", "medium": "as_chances"},
    "small": {"high": "not_pursued", "medium": "not_pursued", "low": "not_pursued"},
}


def pursued(playbook: dict[str, Any]) -> bool:
    """Whether a playbook raises tasks at all ("not pursued" is a decision, not a gap)."""
    return any(step.get("kind") != "none" for step in playbook.get("steps", []))


def clean_policy(playbooks: Any, cells: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """The policy in its canonical form, or a ValidationError naming the playbook, step or
    cell that is wrong. Nothing is stored until the whole policy is valid."""
    if not isinstance(playbooks, dict) or not playbooks:
        raise ValidationError(_("The policy needs at least one playbook."))
    clean_books: dict[str, Any] = {}
    for code, book in playbooks.items():
        if not isinstance(code, str) or not code.replace("_", "").isalnum() or len(code) > 30:
            raise ValidationError(
                _("Playbook code %(code)s: letters, digits and _ only, at most 30.")
                % {"code": repr(code)}
            )
        if not isinstance(book, dict):
            raise ValidationError(_("Playbook %(code)s is not an object.") % {"code": code})
        clean_books[code] = _clean_playbook(code, book)
    if not isinstance(cells, dict):
        raise ValidationError(_("The tier × band table is not an object."))
    clean_cells: dict[str, dict[str, str]] = {}
    for tier, row in cells.items():
        if tier not in TIERS:
            raise ValidationError(_("Unknown tier %(tier)s.") % {"tier": repr(tier)})
        if not isinstance(row, dict):
            raise ValidationError(_("Tier %(tier)s: not an object.") % {"tier": tier})
        for band, code in row.items():
            if band not in BANDS:
                raise ValidationError(_("Unknown risk band %(band)s.") % {"band": repr(band)})
            if code in (None, ""):
                continue
            if code not in clean_books:
                raise ValidationError(
                    _("Tier %(tier)s, band %(band)s: no playbook %(code)s.")
                    % {"tier": tier, "band": band, "code": repr(code)}
                )
            clean_cells.setdefault(tier, {})[band] = code
    return clean_books, clean_cells


def _clean_playbook(code: str, book: dict[str, Any]) -> dict[str, Any]:
    name = str(book.get("name") or code).strip()[:100]
    try:
        share = float(book.get("control_share", DEFAULT_CONTROL_SHARE))
    except (TypeError, ValueError):
        share = -1.0
    if not 0.0 <= share <= 0.5:
        raise ValidationError(
            _("Playbook %(code)s: the control share must be between 0 and 0.5.") % {"code": code}
        )
    steps = book.get("steps")
    if not isinstance(steps, list) or not steps or len(steps) > MAX_STEPS:
        raise ValidationError(
            _("Playbook %(code)s needs 1 to %(max)d steps.") % {"code": code, "max": MAX_STEPS}
        )
    clean_steps = []
    for number, step in enumerate(steps, start=1):
        where = {"code": code, "n": number}
        kind = step.get("kind") if isinstance(step, dict) else None
        if kind not in STEP_KINDS:
            raise ValidationError(_("Playbook %(code)s, step %(n)d: unknown kind.") % where)
        clean: dict[str, Any] = {"kind": kind}
        if kind != "none":
            days = step.get("within_days", 7)
            if not isinstance(days, int) or isinstance(days, bool) or not 0 <= days <= 365:
                raise ValidationError(
                    _("Playbook %(code)s, step %(n)d: days must be a whole number 0–365.") % where
                )
            clean["within_days"] = days
        if kind == "offer":
            try:
                budget = Decimal(str(step.get("budget", 0)))
            except InvalidOperation:
                budget = Decimal(-1)
            if not budget.is_finite() or budget < 0 or budget > Decimal("10000000"):
                raise ValidationError(
                    _("Playbook %(code)s, step %(n)d: the budget must be a positive amount.")
                    % where
                )
            clean["budget"] = float(budget)
        clean_steps.append(clean)
    if any(s["kind"] == "none" for s in clean_steps) and len(clean_steps) > 1:
        raise ValidationError(
            _("Playbook %(code)s: 'not pursued' is the only step when used.") % {"code": code}
        )
    return {"name": name, "control_share": share, "steps": clean_steps}
