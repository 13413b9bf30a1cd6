"""The team on the search keys (issue #12): a manager's or rep's search reads only the keys
of the teams they may see, yet finds exactly what ``visible_customers`` allows — for every
persona, on every tier and on the broad paths — and the keys follow a customer to another
team on every write that moves it (reassignment, bulk reassignment, the public pool, a
claim, an import, a rebuild)."""

from __future__ import annotations

import pytest
from django.db.models import Q
from django.test import override_settings

from kehu.core.models import Role
from kehu.core.permissions import partner_of, team_scope, visible_customers
from kehu.customers import search_index, selectors, services
from kehu.customers.models import Customer, CustomerShare, SearchKey
from tests.conftest import make_user
from tests.imports.conftest import run_import, write_csv

pytestmark = pytest.mark.django_db

NAMES = ("北京启明建材有限公司", "北京远航物流有限公司", "上海启明物流有限公司", "北京启明")
QUERIES = (
    "北京",
    "北京启明",
    "启明",
    "启明建材",
    "明物流",
    "beijing",
    "qiming",
    "bjqm",
    "物流",
    "北",
    "上",
)


def found(user, q: str) -> set[str]:
    rows = selectors.customer_list(user=user, filters=selectors.CustomerFilters(q=q))
    return {c.name + f"#{c.pk}" for c in rows}


def allowed(user, q: str) -> set[str]:
    """What the user may see among the customers whose name holds the Chinese text or
    whose pinyin does (the queries above all match this way)."""
    hits = {
        pk
        for pk, key in SearchKey.objects.values_list("customer_id", "key")
        if (q in key and key.startswith(("n:", "g:", "w:"))) or key == f"n:{q}"
    }
    names = dict(Customer.objects.filter(name__contains=q).values_list("pk", "name"))
    ids = hits | set(names)
    return {c.name + f"#{c.pk}" for c in visible_customers(user).filter(pk__in=ids)}


def keys_follow_their_customer() -> None:
    team_of = dict(Customer._base_manager.values_list("pk", "team_id"))
    stale = [
        (pk, team, team_of.get(pk))
        for pk, team in SearchKey.objects.values_list("customer_id", "team_id")
        if team != team_of.get(pk)
    ]
    assert stale == []


@pytest.fixture
def world(org):
    """The same names in team North (alice's), team South (charlie's), the public pool (no
    owner, no team), owned by mia outside her team, shared with partner P1, archived."""
    org.ivan = make_user("ivan", Role.SALES)  # a rep in no team
    for name in NAMES:
        services.customer_create(by=org.alice, owner=org.alice, name=name)
        services.customer_create(by=org.charlie, owner=org.charlie, name=name)
        services.customer_create(by=org.root, name=name)  # the pool
    services.customer_create(by=org.root, owner=org.mia, team=org.south, name=NAMES[0])
    services.customer_create(by=org.root, owner=org.ivan, name=NAMES[1])
    shared = services.customer_create(by=org.charlie, owner=org.charlie, name=NAMES[3])
    services.customer_share(customer=shared, partner=org.p1, by=org.root)
    old = services.customer_create(by=org.alice, owner=org.alice, name=NAMES[2])
    services.customer_archive(customer=old, by=org.root)
    return org


def personas(org) -> list:
    return [org.root, org.mia, org.alice, org.bob, org.charlie, org.ivan, org.sam, org.ana]
    # (partners: below, their own test; the analyst searches names only, as here)


@pytest.mark.parametrize("broad", [False, True])
def test_every_persona_finds_exactly_what_it_may_see(world, monkeypatch, broad):
    if broad:
        # Every query takes the broad paths (newest first, then by id a slice at a time).
        monkeypatch.setattr(search_index, "PROBE", 1)
        monkeypatch.setattr(search_index, "ID_SLICE", 1)
    for user in personas(world):
        for q in QUERIES:
            expected = allowed(user, q)
            assert found(user, q) == expected, (user.username, q)
    keys_follow_their_customer()


def test_partner_finds_only_shared_customers(world):
    assert {n.split("#")[0] for n in found(world.pat, "北京启明")} == {"北京启明"}
    assert found(world.quinn, "北京启明") == set()


@pytest.mark.parametrize("broad", [False, True])
def test_partners_find_exactly_their_shared_customers(world, monkeypatch, broad):
    for customer in Customer.objects.filter(name__in=NAMES[:3], owner=world.charlie):
        services.customer_share(customer=customer, partner=world.p1, by=world.root)
    pool = Customer.objects.filter(owner=None, name=NAMES[2]).first()
    services.customer_share(customer=pool, partner=world.p2, by=world.root)
    if broad:
        monkeypatch.setattr(search_index, "PROBE", 1)
        monkeypatch.setattr(search_index, "ID_SLICE", 1)
    for user in (world.pat, world.quinn):
        for q in QUERIES:
            assert found(user, q) == allowed(user, q), (user.username, q)
    assert len(found(world.pat, "启明")) == 3 and len(found(world.quinn, "启明")) == 1


def test_partner_reads_only_keys_of_shared_customers(world):
    """A partner's scope is the partner's shares: the keys of no other customer are read."""
    scope = search_index.key_scope(world.pat)
    assert scope is not None and scope.partner == world.p1.pk
    read = set(SearchKey.objects.filter(key="g:北京").filter(scope.q()).values_list("customer_id"))
    shared = set(CustomerShare.objects.filter(partner=world.p1).values_list("customer_id"))
    assert read and read <= shared
    # The same scope on the customer side (the joined-pairs path) as on the key side.
    via_customer = Customer.objects.filter(search_keys__key="g:北京").filter(
        scope.q("search_keys__")
    )
    assert set(via_customer.values_list("id")) == read
    assert partner_of(world.pat) == world.p1.pk and partner_of(world.mia) is None


def test_partner_of_matches_visibility(world):
    for user in (*personas(world), world.pat, world.quinn):
        partner = partner_of(user)
        if partner is None:
            continue
        shared = Customer.objects.filter(shares__partner_id=partner)
        assert set(visible_customers(user, include_archived=True)) == set(shared)


def test_manager_reads_only_keys_of_her_teams(world):
    """The scope of a manager: her team's keys and her own customers outside it, by id."""
    scope = search_index.key_scope(world.mia)
    assert scope is not None and scope.teams == (world.north.pk,)
    mine_elsewhere = Customer.objects.get(owner=world.mia, team=world.south)
    assert scope.owned == (mine_elsewhere.pk,)
    read = set(SearchKey.objects.filter(key="g:北京").filter(scope.q()).values_list("customer_id"))
    teams = set(Customer.objects.filter(pk__in=[pk for (pk,) in read]).values_list("team_id"))
    assert teams == {(world.north.pk,), (world.south.pk,)}  # South: only her own one
    assert search_index.key_scope(world.root) is None
    assert search_index.key_scope(world.ana) is None


def test_owning_too_many_outside_the_teams_reads_unscoped(world, monkeypatch):
    monkeypatch.setattr(search_index, "OWNED_MAX", 0)
    assert search_index.key_scope(world.mia) is None
    assert found(world.mia, "北京启明") == allowed(world.mia, "北京启明")


def test_team_scope_matches_visibility(world):
    """team_scope says what visibility_filter decides for the team-based roles."""
    for user in personas(world):
        scope = team_scope(user)
        if scope is None:
            continue
        teams, owner = scope
        by_scope = Customer.objects.filter(Q(team_id__in=teams) | Q(owner_id=owner))
        assert set(visible_customers(user, include_archived=True)) == set(by_scope)
    with override_settings(KEHU_SERVICE_SEES_ALL=False):
        assert team_scope(world.sam) == (frozenset(), world.sam.pk)
    with override_settings(KEHU_ALL_STAFF_SEE_ALL=True):
        assert team_scope(world.mia) is None


def test_reassignment_to_another_team_moves_the_keys(world):
    c = Customer.objects.get(owner=world.alice, name=NAMES[3])
    assert c.name + f"#{c.pk}" in found(world.mia, "北京启明")
    services.customer_reassign(customer=c, owner=world.charlie, by=world.mia)
    assert set(SearchKey.objects.filter(customer=c).values_list("team_id", flat=True)) == {
        world.south.pk
    }
    assert c.name + f"#{c.pk}" not in found(world.mia, "北京启明")
    assert c.name + f"#{c.pk}" in found(world.charlie, "北京启明")
    # And back, through the bulk form.
    services.customers_reassign_bulk(customers=[c], owner=world.bob, by=world.root)
    assert c.name + f"#{c.pk}" in found(world.mia, "北京启明")
    assert c.name + f"#{c.pk}" in found(world.alice, "北京启明")
    keys_follow_their_customer()


def test_pool_and_claim_move_the_keys(world):
    pooled = Customer.objects.filter(owner__isnull=True, name=NAMES[0]).first()
    assert pooled.team_id is None
    assert found(world.charlie, "建材") == allowed(world.charlie, "建材")
    services.customer_claim(customer=pooled, by=world.charlie)
    assert pooled.name + f"#{pooled.pk}" in found(world.charlie, "建材")
    # charlie's teammates now see it too: its keys carry team South.
    assert SearchKey.objects.filter(customer=pooled).exclude(team_id=world.south.pk).count() == 0
    keys_follow_their_customer()
    for user in personas(world):
        assert found(user, "建材") == allowed(user, "建材"), user.username


def test_import_reassigning_an_owner_moves_the_keys(world, tmp_path):
    services.customer_create(by=world.alice, owner=world.alice, name="北京星河", external_id="X9")
    path = write_csv(
        tmp_path / "c.csv", [["客户编号", "姓名", "负责人"], ["X9", "北京星河", "charlie"]]
    )
    run_import(world.root, "customers", path)
    moved = Customer.objects.get(external_id="X9")
    assert moved.owner == world.charlie and moved.team == world.south
    keys_follow_their_customer()
    assert "北京星河" not in {n.split("#")[0] for n in found(world.mia, "星河")}
    assert "北京星河" in {n.split("#")[0] for n in found(world.charlie, "星河")}


def test_import_of_new_customers_writes_the_team(world, tmp_path):
    path = write_csv(
        tmp_path / "c.csv", [["客户编号", "姓名", "负责人"], ["N1", "北京新月", "charlie"]]
    )
    run_import(world.root, "customers", path)
    keys_follow_their_customer()
    assert {n.split("#")[0] for n in found(world.bob, "新月")} == set()
    assert {n.split("#")[0] for n in found(world.charlie, "新月")} == {"北京新月"}


def test_rebuild_and_refresh_write_the_team(world):
    SearchKey.objects.update(team_id=None)
    search_index.rebuild_search_keys()
    keys_follow_their_customer()
    # A key whose team went stale is put right by the next refresh of its customer.
    c = Customer.objects.get(owner=world.alice, name=NAMES[0])
    SearchKey.objects.filter(customer=c).update(team_id=world.south.pk)
    services.refresh_search_keys(c)
    keys_follow_their_customer()
