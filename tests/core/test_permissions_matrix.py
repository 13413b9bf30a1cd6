"""``permissions.can``: every action × every persona × a customer of their own book, of
another team, and one shared with a partner. The expected answers are written out here, not
derived from the rule table, so a change to who may do what has to change this test too."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from kehu.core import permissions
from kehu.core.permissions import Action
from kehu.customers import services
from kehu.customers.models import Relation

pytestmark = pytest.mark.django_db

PERSONAS = ["alice", "bob", "charlie", "mia", "sam", "ana", "pat", "quinn", "root"]
STAFF = {"alice", "bob", "charlie", "mia", "sam", "root"}
MANAGING = {"mia", "root"}
EVERYONE = set(PERSONAS)
# Which personas' roles may ever do each action.
ROLE_MAY = {
    Action.VIEW: EVERYONE,
    Action.CHANGE: STAFF,
    Action.ARCHIVE: MANAGING,
    Action.RESTORE: MANAGING,
    Action.REASSIGN: MANAGING,
    Action.SHARE: MANAGING,
    Action.MERGE: MANAGING,
    Action.DELETE_RELATION: STAFF,
    Action.LOG_INTERACTION: STAFF | {"pat", "quinn"},
    Action.CONFIGURE: MANAGING,
    Action.SEE_REPORTS: MANAGING | {"ana"},
    Action.EXPORT: MANAGING | {"ana"},
    Action.IMPORT: STAFF,
    Action.SEE_COST: EVERYONE - {"pat", "quinn"},
    Action.SEE_INTERNAL_NOTES: EVERYONE,
    Action.SEE_PERSONAL_DATA: EVERYONE - {"ana"},
    Action.SEARCH_PERSONAL_DATA: EVERYONE - {"ana"},
    Action.SEE_HISTORY: EVERYONE - {"ana"},
    Action.EXPORT_PERSONAL_DATA: MANAGING,
    Action.ERASE: {"root"},
    # The playbooks are the company's policy; a flag takes a customer out of retention.
    Action.EDIT_RETENTION_POLICY: {"root"},
    Action.FLAG_NOT_WORTH_KEEPING: MANAGING,
    # Reps take customers from the public pool (公海); service and partners don't own any.
    Action.CLAIM: {"alice", "bob", "charlie"} | MANAGING,
    # Knowledge-base articles: service agents, managers and administrators write them.
    Action.EDIT_ARTICLE: {"sam"} | MANAGING,
    # Retention targets: administrators for everyone, managers for their teams (#11).
    Action.EDIT_RETENTION_TARGETS: MANAGING,
    # Dealer onboarding (#14, F8): reps start and follow, analysts read, managers decide.
    Action.VIEW_ONBOARDING: {"alice", "bob", "charlie", "ana"} | MANAGING,
    Action.START_ONBOARDING: {"alice", "bob", "charlie"} | MANAGING,
    Action.RUN_ONBOARDING: MANAGING,
    # Lead files through the importer (#14): reps in their own name, managers, admins.
    Action.IMPORT_LEADS: {"alice", "bob", "charlie"} | MANAGING,
}
# Who sees which customer: "own" is alice's in North shared with P1 (org.customer);
# "other_team" is charlie's in South; "shared" is charlie's, shared with P2.
SEES = {
    "own": {"alice", "bob", "mia", "sam", "ana", "pat", "root"},
    "other_team": {"charlie", "sam", "ana", "root"},
    "shared": {"charlie", "sam", "ana", "quinn", "root"},
}


@pytest.fixture
def books(org):
    south = services.customer_create(by=org.charlie, owner=org.charlie, name="李娜")
    shared = services.customer_create(by=org.charlie, owner=org.charlie, name="王强")
    services.customer_share(customer=shared, partner=org.p2, by=org.root)
    return {"own": org.customer, "other_team": south, "shared": shared}


def test_every_action_is_in_the_matrix():
    assert set(ROLE_MAY) == set(Action)


@pytest.mark.parametrize("action", list(Action))
@pytest.mark.parametrize("who", PERSONAS)
def test_role_level(org, who, action):
    assert permissions.can(getattr(org, who), action) == (who in ROLE_MAY[action])


@pytest.mark.parametrize("book", list(SEES))
@pytest.mark.parametrize("action", list(Action))
@pytest.mark.parametrize("who", PERSONAS)
def test_on_a_customer(org, books, who, action, book):
    expected = who in ROLE_MAY[action] and who in SEES[book]
    assert permissions.can(getattr(org, who), action, books[book]) == expected


@pytest.mark.parametrize("who", PERSONAS)
def test_require_is_403_for_the_role_and_404_for_the_record(org, books, who):
    user = getattr(org, who)
    for book, customer in books.items():
        if who not in ROLE_MAY[Action.ARCHIVE]:
            with pytest.raises(PermissionDenied):
                permissions.require(user, Action.ARCHIVE, customer)
        elif who not in SEES[book]:
            with pytest.raises(Http404):
                permissions.require(user, Action.ARCHIVE, customer)
        else:
            permissions.require(user, Action.ARCHIVE, customer)


def test_anonymous_and_profileless_users_may_do_nothing(org, django_user_model):
    from django.contrib.auth.models import AnonymousUser

    nobody = django_user_model.objects.create_user(username="nobody", password="x")
    for user in (None, AnonymousUser(), nobody):
        assert not any(permissions.can(user, action) for action in Action)


def test_an_unregistered_object_type_is_refused_not_waved_through(org):
    with pytest.raises(LookupError):
        permissions.can(org.root, Action.VIEW, object())


@pytest.mark.parametrize("who", PERSONAS)
def test_a_relation_needs_both_ends_visible(org, books, who):
    relation = Relation.objects.create(
        from_customer=books["own"], to_customer=books["other_team"], kind="knows"
    )
    expected = who in ROLE_MAY[Action.DELETE_RELATION] and who in (SEES["own"] & SEES["other_team"])
    user = getattr(org, who)
    assert permissions.can(user, Action.DELETE_RELATION, relation) == expected
    allowed = permissions.restrict(Relation.objects.all(), user, Action.DELETE_RELATION)
    assert allowed.filter(pk=relation.pk).exists() == expected
