"""Who may see and do what: the one place every page, endpoint, export, search and template
asks.

Seeing customers (``visible_customers``), the choke point every read goes through:
- administrators see everything;
- managers see the customers of the teams they manage and of their own team;
- sales reps see their own and their team's customers;
- service agents serve whoever calls, so they see every customer (KEHU_SERVICE_SEES_ALL);
- analysts see every customer read-only, with personal data masked;
- channel-partner users see only the customers shared with their partner;
- KEHU_ALL_STAFF_SEE_ALL opens the whole database to every staff role.
Archived and merged-away customers drop out of lists and searches unless asked for
(``include_archived``); whoever may see one can still open it by id, read-only.

Doing things (``can(user, action, obj=None)``), after NetBox's ``restrict(user, action)``:
the answer is the role's (``ROLE_ACTIONS``: may this role ever do it?) and, given an object,
the object's (may it be done to *this* one?). Core defines the question; the apps that own
the models register the object answers (``register``) from their ``AppConfig.ready``, so core
never imports them: kehu.customers.rules answers for customers, relations and interactions.
An object of a type nobody registered is refused, never waved through.

``require(user, action, obj)`` turns a "no" into the one error rule (zulip's
``access_stream_by_id``): 403 when the role may never do the action, whichever record (it
reveals nothing about records); 404 when the role may but not to this record, the same answer
as for a record that does not exist, so existence is never revealed.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from kehu.core.models import Role


class Action(StrEnum):
    VIEW = "view"
    CHANGE = "change"  # create and edit customers, relations; the data-quality pages
    ARCHIVE = "archive"
    RESTORE = "restore"
    REASSIGN = "reassign"  # hand a customer to another owner; own customers for others
    SHARE = "share"  # share a customer with a channel partner, or stop
    MERGE = "merge"  # merge and unmerge duplicates, judge candidate pairs
    DELETE_RELATION = "delete_relation"
    LOG_INTERACTION = "log_interaction"
    CONFIGURE = "configure"  # the analytics settings, starting a run
    SEE_REPORTS = "see_reports"
    EXPORT = "export"
    IMPORT = "import"
    SEE_COST = "see_cost"  # cost of goods, margins, profit, lifetime value
    SEE_INTERNAL_NOTES = "see_internal_notes"  # the notes of an interaction
    SEE_PERSONAL_DATA = "see_personal_data"  # unmasked phone, e-mail, ID, address, birthday
    SEARCH_PERSONAL_DATA = "search_personal_data"  # look customers up by phone or e-mail
    SEE_HISTORY = "see_history"  # the audit trail (before/after values of personal data)
    EXPORT_PERSONAL_DATA = "export_personal_data"  # all Kehu holds about a person (PIPL)
    ERASE = "erase"  # anonymise a person, irreversibly
    EDIT_RETENTION_POLICY = "edit_retention_policy"  # the tier × band playbooks (retention)
    FLAG_NOT_WORTH_KEEPING = "flag_not_worth_keeping"  # exclude a customer from retention
    CLAIM = "claim"  # take a customer from the public pool (公海), within the per-rep limit
    EDIT_ARTICLE = "edit_article"  # write, edit and publish knowledge-base articles
    EDIT_RETENTION_TARGETS = "edit_retention_targets"  # monthly retention goals (D6)
    VIEW_ONBOARDING = "view_onboarding"  # dealer onboardings (F8, kehu.dealers)
    START_ONBOARDING = "start_onboarding"  # start one for a company customer
    RUN_ONBOARDING = "run_onboarding"  # credit, terms, contract, approve or reject
    IMPORT_LEADS = "import_leads"  # a lead file through the importer (kehu.imports)


# Staff roles: a portal user (Role.CUSTOMER) may do none of the actions below; the portal
# checks its own rules (kehu.portal) and sees only its customer (``visibility_filter``).
ALL_ROLES = frozenset(Role) - {Role.CUSTOMER}
EDIT_ROLES = frozenset({Role.ADMIN, Role.MANAGER, Role.SALES, Role.SERVICE})
MANAGING_ROLES = frozenset({Role.ADMIN, Role.MANAGER})
MASKED_ROLES = frozenset({Role.ANALYST})
DEFAULT_MERGE_ROLES = (Role.ADMIN, Role.MANAGER)


def _merge_roles() -> frozenset[str]:
    # Merging rewrites two records: KEHU_MERGE_ROLES widens or narrows who may.
    return frozenset(getattr(settings, "KEHU_MERGE_ROLES", DEFAULT_MERGE_ROLES))


ROLE_ACTIONS: dict[Action, frozenset[str] | Callable[[], frozenset[str]]] = {
    Action.VIEW: ALL_ROLES,
    Action.CHANGE: EDIT_ROLES,
    Action.ARCHIVE: MANAGING_ROLES,
    Action.RESTORE: MANAGING_ROLES,
    Action.REASSIGN: MANAGING_ROLES,
    Action.SHARE: MANAGING_ROLES,
    Action.MERGE: _merge_roles,
    Action.DELETE_RELATION: EDIT_ROLES,
    Action.LOG_INTERACTION: EDIT_ROLES | {Role.PARTNER},
    Action.CONFIGURE: MANAGING_ROLES,
    Action.SEE_REPORTS: MANAGING_ROLES | {Role.ANALYST},
    Action.EXPORT: MANAGING_ROLES | {Role.ANALYST},
    Action.IMPORT: EDIT_ROLES,
    # A company's margins on a customer are not the dealer's business.
    Action.SEE_COST: ALL_ROLES - {Role.PARTNER},
    # Every role reads notes; a partner user only those of their own partner's interactions
    # (the object rule), never another department's internal ones.
    Action.SEE_INTERNAL_NOTES: ALL_ROLES,
    Action.SEE_PERSONAL_DATA: ALL_ROLES - MASKED_ROLES,
    # Who sees masked data must not confirm it by searching for it either.
    Action.SEARCH_PERSONAL_DATA: ALL_ROLES - MASKED_ROLES,
    Action.SEE_HISTORY: ALL_ROLES - MASKED_ROLES,
    # A person's request is answered by whoever is responsible for them; erasure cannot be
    # undone, so only administrators.
    Action.EXPORT_PERSONAL_DATA: MANAGING_ROLES,
    Action.ERASE: frozenset({Role.ADMIN}),
    Action.EDIT_RETENTION_POLICY: frozenset({Role.ADMIN}),
    Action.FLAG_NOT_WORTH_KEEPING: MANAGING_ROLES,
    Action.CLAIM: MANAGING_ROLES | {Role.SALES},
    # The knowledge base is written by those who answer customers (and their managers).
    Action.EDIT_ARTICLE: MANAGING_ROLES | {Role.SERVICE},
    Action.EDIT_RETENTION_TARGETS: MANAGING_ROLES,
    # Dealer onboarding (F8): reps start one for their own customer and follow it, analysts
    # read, managers and administrators decide; partners and service agents see none.
    Action.VIEW_ONBOARDING: MANAGING_ROLES | {Role.SALES, Role.ANALYST},
    Action.START_ONBOARDING: MANAGING_ROLES | {Role.SALES},
    Action.RUN_ONBOARDING: MANAGING_ROLES,
    # Development is sales work: reps import leads in their own name, managers for their
    # teams (the owner rule is kehu.development.services_import.lead_owner_refusal), admins for
    # anyone; service agents, analysts and partners import none.
    Action.IMPORT_LEADS: MANAGING_ROLES | {Role.SALES},
}

ObjectRule = Callable[[Any, Action, Any], bool]
QuerySetRule = Callable[[QuerySet, Any, Action], QuerySet]
_object_rules: dict[type, ObjectRule] = {}
_queryset_rules: dict[type, QuerySetRule] = {}


def register(model: type, *, obj: ObjectRule, queryset: QuerySetRule | None = None) -> None:
    """The owning app's answer for ``model``: ``obj(user, action, instance)`` for one record,
    ``queryset(qs, user, action)`` to narrow a queryset to the records allowed."""
    _object_rules[model] = obj
    if queryset is not None:
        _queryset_rules[model] = queryset


def role_of(user: Any) -> str | None:
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    if user.is_superuser:
        return Role.ADMIN
    profile = getattr(user, "profile", None)
    return profile.role if profile is not None else None


def role_may(user: Any, action: Action | str) -> bool:
    """May the user's role ever do ``action``, to any record?"""
    role = role_of(user)
    if role is None:
        return False
    roles = ROLE_ACTIONS[Action(action)]
    return role in (roles() if callable(roles) else roles)


def _rule_for(table: dict[type, Any], model: type) -> Any:
    for klass in model.__mro__:
        if klass in table:
            return table[klass]
    raise LookupError(f"no permission rule registered for {model.__name__}")


def can(user: Any, action: Action | str, obj: Any = None) -> bool:
    """May ``user`` do ``action`` (to ``obj``, when given)?"""
    action = Action(action)
    if not role_may(user, action):
        return False
    if obj is None:
        return True
    return bool(_rule_for(_object_rules, type(obj))(user, action, obj))


def require(user: Any, action: Action | str | None = None, obj: Any = None) -> None:
    """``can`` or the error: 403 for the role, 404 for the record (see the module's doc).

    ``require(allowed)`` with a bool (the earlier form, still used by code not yet moved to
    actions) raises 403 when it is false."""
    if isinstance(user, bool) and action is None:
        if not user:
            raise PermissionDenied
        return
    if action is None:
        raise TypeError("require(user, action, obj=None): the action is missing")
    if not role_may(user, action):
        raise PermissionDenied
    if obj is not None and not can(user, action, obj):
        raise Http404


def restrict(qs: QuerySet, user: Any, action: Action | str = Action.VIEW) -> QuerySet:
    """``qs`` narrowed to the records ``user`` may do ``action`` to (NetBox's ``restrict``)."""
    action = Action(action)
    if not role_may(user, action):
        return qs.none()
    return _rule_for(_queryset_rules, qs.model)(qs, user, action)


def _profile(user: Any):
    return getattr(user, "profile", None)


def partner_of(user: Any) -> int | None:
    """The channel partner a partner user works for (None for everyone else)."""
    if role_of(user) != Role.PARTNER:
        return None
    profile = _profile(user)
    return profile.partner_id if profile is not None else None


def visibility_filter(user: Any) -> Q | None:
    """A Q over Customer for what ``user`` may see; None means nothing at all."""
    role = role_of(user)
    if role is None:
        return None
    if role in {Role.ADMIN, Role.ANALYST}:
        return Q()
    if role == Role.CUSTOMER:
        # Exactly one customer, through kehu.portal's PortalAccess (reverse relation, so core
        # does not import the portal app); a revoked access sees nothing.
        return Q(portal_accesses__user_id=user.pk, portal_accesses__is_active=True)
    if role == Role.PARTNER:
        partner = partner_of(user)
        return None if partner is None else Q(shares__partner_id=partner)
    scope = team_scope(user)
    if scope is None:  # staff who see everyone (KEHU_ALL_STAFF_SEE_ALL, service agents)
        return Q()
    team_ids, owner = scope
    condition = Q(owner_id=owner)
    if team_ids:
        condition |= Q(team_id__in=sorted(team_ids))
    return condition


def team_scope(user: Any) -> tuple[frozenset[int], int] | None:
    """(team ids, user id) when ``visibility_filter`` is "owned by the user or in one of
    these teams" (managers, reps, and service agents when KEHU_SERVICE_SEES_ALL is off);
    None when what the user sees is not decided by team (everyone, a partner's shares, a
    portal's one customer, nobody). ``visibility_filter`` builds its last branch from it,
    and search narrows its keys by it before looking customers up
    (kehu.customers.search_index); ``visible_customers`` still decides."""
    role = role_of(user)
    if role is None or role in {Role.ADMIN, Role.ANALYST, Role.CUSTOMER, Role.PARTNER}:
        return None
    if getattr(settings, "KEHU_ALL_STAFF_SEE_ALL", False):
        return None
    if role == Role.SERVICE and getattr(settings, "KEHU_SERVICE_SEES_ALL", True):
        return None
    profile = _profile(user)
    team_ids: set[int] = set()
    if profile is not None and profile.team_id:
        team_ids.add(profile.team_id)
    if role == Role.MANAGER:
        team_ids.update(user.managed_teams.values_list("id", flat=True))
    return frozenset(team_ids), user.pk


def visible_customers(user: Any, *, include_archived: bool = False) -> QuerySet:
    # The Customer model is still fetched from here (lazily): every read in the project
    # starts at this function, and moving it next to the model is a change of its own.
    from kehu.customers.models import Customer

    condition = visibility_filter(user)
    if condition is None:
        return Customer.objects.none()
    # The partner's share join can't produce duplicates (unique per customer/partner).
    qs = Customer.objects.filter(condition)
    if not include_archived:
        qs = qs.filter(is_archived=False)
    return qs


def can_see_customer(user: Any, customer_id: int) -> bool:
    return visible_customers(user, include_archived=True).filter(pk=customer_id).exists()


def loaded_for(obj: Any, user: Any) -> Any:
    """Mark ``obj`` as loaded through ``visible_customers`` for ``user`` (the pages' and
    endpoints' one loader does), so the object rules need not ask the database again while
    the request lasts: a page asks ``can`` for a dozen actions on its customer."""
    obj._kehu_visible_to = getattr(user, "pk", None)
    return obj


def is_loaded_for(obj: Any, user: Any) -> bool:
    pk = getattr(user, "pk", None)
    return pk is not None and getattr(obj, "_kehu_visible_to", None) == pk
