"""The search-key table at work: a typed query answered tier by tier (exact, prefix,
substring) within the customers a user may see, and the keys of every customer rebuilt
at once (after the key scheme changes; ``kehu search rebuild``).

Day-to-day writes keep the keys current one customer at a time
(``services.refresh_search_keys``; imports and the demo COPY ``customer_keys`` too)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from typing import Any

from django.db import DatabaseError, connection
from django.db.models import F, Q, QuerySet
from django.db.models.functions import Substr

from kehu.customers.models import SearchKey
from kehu.customers.search import HEAD, NAME, Query, customer_keys, head_keys

# A tier's keys are read ahead up to this many: fewer are looked up by id; more (a broad
# query: 上海, zhang, 王) are joined with the visible customers newest first, which stops
# after the cap.
PROBE = 2_000
# When the newest matches of a broad prefix are not visible enough, all its customers' ids
# are looked up by id, newest first, this many and then four times more each time, until
# the page is full.
ID_SLICE = 2_000
# A substring whose character pairs all match but whose whole text rarely does is given up
# after this many candidates (each batch is one more read of the same join).
VERIFY_READ_MAX = 4_000
# Pairs of a long Chinese substring joined in the database (the rarest); the whole text is
# then checked against the name.
JOINED_PAIRS = 3
# A user who owns more customers than this outside their teams has their keys read
# without the team scope (rare: an owner's customers are in the owner's team).
OWNED_MAX = 1_000


@dataclass(frozen=True)
class KeyScope:
    """The keys a manager's or rep's search reads: those of ``teams`` (the team copied onto
    each key) and of the customers ``owned`` by the user outside them; a partner's, those of
    the customers shared with ``partner``. A superset of what the user sees —
    ``visible_customers`` still decides — so that a city of another region reads a few keys
    rather than ~15,000 only to find none of them visible."""

    teams: tuple[int, ...]
    owned: tuple[int, ...]
    partner: int | None = None

    def q(self, path: str = "") -> Q:
        """The condition on SearchKey; ``path`` "search_keys__" from the customer."""
        customer = "id" if path else "customer_id"
        if self.partner is not None:
            # A partner's customers are a few percent of all: 王's 135,000 keys filtered by
            # the shares' (customer, partner) index instead of every match looked up
            # (444 ms at 1,000,000 customers, 18,000 shared).
            from kehu.customers.models import CustomerShare

            shared = CustomerShare.objects.filter(partner_id=self.partner).values("customer_id")
            return Q(**{f"{customer}__in": shared})
        condition = Q(**{f"{path}team_id__in": self.teams})
        if self.owned:
            condition |= Q(**{f"{customer}__in": self.owned})
        return condition


def key_scope(user: Any) -> KeyScope | None:
    """The user's KeyScope, or None when their keys are read unscoped (whoever sees beyond
    teams and shares: administrators, analysts; or owns too many outside their teams)."""
    from kehu.core.permissions import partner_of, team_scope
    from kehu.customers.models import Customer

    if (partner := partner_of(user)) is not None:
        return KeyScope(teams=(), owned=(), partner=partner)
    scope = team_scope(user)
    if scope is None:
        return None
    teams, owner_id = scope
    # exclude() keeps the customers with no team (NULL is not in any list). The (owner,
    # team, id) index answers it alone: 7 ms for a rep owning 96,000 customers, all in the
    # team, where reading their rows took a 300 ms scan of the table.
    owned = list(
        Customer.objects.filter(owner_id=owner_id)
        .exclude(team_id__in=sorted(teams))
        .values_list("id", flat=True)[: OWNED_MAX + 1]
    )
    if len(owned) > OWNED_MAX:
        return None
    return KeyScope(teams=tuple(sorted(teams)), owned=tuple(sorted(owned)))


def _keys(condition: Q, scope: KeyScope | None) -> QuerySet:
    """Search keys matching ``condition`` within ``scope``."""
    rows = SearchKey.objects.filter(condition)
    return rows if scope is None else rows.filter(scope.q())


@dataclass
class RankedSearch:
    """Ids of the customers a query finds, per tier (exact, prefix, substring), each tier
    newest first; ``capped``: more matched than the cap."""

    tiers: list[list[int]]
    capped: bool

    @property
    def ids(self) -> list[int]:
        return [pk for tier in self.tiers for pk in tier]


def _newest(rows: QuerySet, *, want: int, verify: str) -> list[int]:
    """Up to ``want`` ids of ``rows``, newest first; with ``verify``, only customers with a
    whole-name key containing it, checked a batch at a time by ``_whole_name_holds`` (as an
    EXISTS the planner hashed every name key holding the text: 0.9 s for 有限公)."""
    ordered = rows.order_by("-id").values_list("id", flat=True)
    if not verify:
        return list(dict.fromkeys(ordered[:want]))  # a key stored twice lists one customer
    found: list[int] = []
    start, batch = 0, 2 * want
    while len(found) < want:
        chunk = list(dict.fromkeys(ordered[start : start + batch]))
        holds = _whole_name_holds(verify, chunk)
        found += [pk for pk in chunk if pk in holds and pk not in found]
        if len(chunk) < batch or start >= VERIFY_READ_MAX:
            break
        start += batch
    return found[:want]


def _tier_ids(
    qs: QuerySet,
    keys: Q,
    *,
    seen: set[int],
    want: int,
    verify: str = "",
    scope: KeyScope | None = None,
    exact: bool = False,
) -> list[int]:
    """Up to ``want`` ids of customers in ``qs`` (newest first, not in ``seen``) with a key
    matching ``keys`` within ``scope`` (and a whole-name key containing ``verify``);
    ``exact``: ``keys`` are equal-to conditions, not prefixes."""
    probe = list(_keys(keys, scope).values_list("customer_id", flat=True)[: PROBE + 1])
    if len(probe) <= PROBE:
        # Looked up by id: PostgreSQL's estimate of a prefix's matches can be far off, and
        # with a subquery it may walk the whole primary key backwards to find a few.
        candidates = set(probe) - seen
        if not candidates:
            return []
        rows = qs.filter(id__in=sorted(candidates))
        return _newest(rows, want=want, verify=verify)
    # A broad prefix (上海, zhang, 王: tens of thousands of keys, in key order): the newest
    # few of its customers first, read from the index alone, and more only if too few of
    # them are visible — rather than looking up every one of them to sort by id.
    # An exact key's postings come out of the key index in id order. A prefix's do not:
    # they are read whole from the key index and the newest kept (a top-N sort; 杭州's
    # ~20,000 keys in a few ms). Ordered by the bare column, PostgreSQL took its estimate
    # of the prefix (113,142 keys for n:杭州%) for a density and walked the customer_id
    # index backwards instead, filtering 1.4 million keys to find 804 (175 ms).
    newest = F("customer_id") if exact else F("customer_id") + 0
    matching = _keys(keys, scope).order_by(newest.desc()).values("customer_id")
    rows = qs.filter(id__in=matching[: 4 * want])
    if seen:
        rows = rows.exclude(id__in=sorted(seen))
    found = _newest(rows, want=want, verify=verify)
    if len(found) >= want:
        return found
    # Too few of the newest are visible (a manager searching another region's city): every
    # match's id from the key index alone, newest first, looked up by id a slice at a time.
    # In one query with the subquery the planner walked both tables' id indexes backwards
    # (2 s for 北京 as the 华东 manager at 1,000,000 customers).
    ids = sorted(
        set(_keys(keys, scope).values_list("customer_id", flat=True)) - seen,
        reverse=True,
    )
    found, start, size = [], 0, ID_SLICE
    while start < len(ids) and len(found) < want:
        more = qs.filter(id__in=ids[start : start + size])
        found += _newest(more, want=want - len(found), verify=verify)
        start, size = start + size, 4 * size
    return found


def _all_keys_ids(
    qs: QuerySet,
    keys: tuple[str, ...],
    *,
    seen: set[int],
    want: int,
    verify: str,
    scope: KeyScope | None = None,
) -> list[int]:
    """Customers holding every one of ``keys`` (the pairs of a Chinese substring): a join
    per key on the (key, customer_id, team_id) index, whose postings come newest customer
    first (a scope's teams filtered inside the index)."""
    rows = qs
    # A team scope filters each key's join inside the (key, customer_id, team_id) index; a
    # partner's is the shares join ``qs`` has already, and repeated per key it only cost.
    per_key = scope.q("search_keys__") if scope and scope.partner is None else Q()
    for key in _rarest(keys, JOINED_PAIRS, scope) if verify else keys:
        # One filter() per key: each key is its own join, and the scope applies to it.
        rows = rows.filter(Q(search_keys__key=key) & per_key)
    if seen:
        rows = rows.exclude(id__in=sorted(seen))
    return _newest(rows, want=want, verify=verify)


def _rarest(keys: tuple[str, ...], n: int, scope: KeyScope | None = None) -> tuple[str, ...]:
    """The ``n`` keys with the fewest customers (counted up to PROBE each on the key index).
    A long name has many pairs; joining all of them costs more to plan than to run (65 ms
    for the nine of 杭州海纳物流有限公司) and the whole-name check rules out the rest anyway."""
    if len(keys) <= n:
        return keys
    # Counted within a team scope, which the key index answers; a partner's would semi-join
    # every key with the shares (12 ms a common pair such as 公司), and the rarest pairs of
    # all customers are rare among the shared ones too.
    within = scope if scope is not None and scope.partner is None else None
    counts = {k: _keys(Q(key=k), within)[: PROBE + 1].count() for k in keys}
    return tuple(sorted(keys, key=lambda k: (counts[k], k))[:n])


def _any_prefix(prefixes: tuple[str, ...]) -> Q:
    condition = Q()
    for prefix in prefixes:
        condition |= Q(key__startswith=prefix)
    return condition


def _tier_of(keys: set[str], query: Query) -> int | None:
    """0 exact, 1 prefix, 2 substring (still to be checked whole when ``query.verify``)."""
    if keys & set(query.exact):
        return 0
    if keys & set(query.heads) or any(k.startswith(p) for p in query.prefixes for k in keys):
        return 1
    if query.all_of and set(query.all_of) <= keys:
        return 2
    if any(k.startswith(p) for p in query.inner_prefixes for k in keys):
        return 2
    return None


def _narrow(
    qs: QuerySet, query: Query, *, cap: int, scope: KeyScope | None = None
) -> RankedSearch | None:
    """Every tier at once when the query's keys are few (the usual case): one read of the
    visible customers with their matching keys; None when they are too many."""
    # The keys first, one range of the key index per condition, then the visible customers
    # among them by id. PostgreSQL misjudges a prefix's matches (114,915 estimated for
    # n:张志%, a few hundred real): joined with the customers it walked every customer's
    # keys in id order (1.5 s), and with the conditions OR-ed it scanned the table (1.1 s).
    conditions = [Q(key__in=query.exact + query.all_of)]
    # A one- or two-character Chinese query's prefix as its h: key: the same customers, read
    # as one key's postings rather than a range of name keys (王: 10 ms instead of 21 ms for
    # the partner, whose shares the range was joined with).
    prefixes = () if query.heads else query.prefixes
    if query.heads:
        conditions.append(Q(key__in=query.heads))
    conditions += [Q(key__startswith=p) for p in prefixes + query.inner_prefixes]
    got: list[tuple[int, str]] = []
    for condition in conditions:
        rows = _keys(condition, scope).values_list("customer_id", "key")
        got += rows[: PROBE + 1 - len(got)]
        if len(got) > PROBE:
            return None  # a broad query: the tiers read it newest first
    keys_of: dict[int, set[str]] = {}
    for pk, key in got:
        keys_of.setdefault(pk, set()).add(key)
    tier_of = {cid: t for cid, keys in keys_of.items() if (t := _tier_of(keys, query)) is not None}
    if tier_of:
        visible = set(qs.filter(id__in=sorted(tier_of)).values_list("id", flat=True))
        tier_of = {pk: t for pk, t in tier_of.items() if pk in visible}
    whole = _whole_name_holds(query.verify, [pk for pk, t in tier_of.items() if t == 2])
    found = [(pk, t < 2 or pk in whole) for pk, t in tier_of.items()]
    tiers: list[list[int]] = [[], [], []]
    for pk, whole_ok in sorted(found, reverse=True):
        if tier_of[pk] < 2 or whole_ok:
            tiers[tier_of[pk]].append(pk)
    kept, left = [], cap + 1
    for tier in tiers:
        kept.append(tier[:left])
        left -= len(kept[-1])
    return RankedSearch(tiers=kept, capped=sum(map(len, tiers)) > cap)


def _whole_name_holds(verify: str, ids: list[int]) -> set[int]:
    """Which of ``ids`` (at most PROBE) have a whole-name key containing ``verify``: their
    name keys looked up by customer id and checked. As an EXISTS in the same query the
    planner hashed it over every name key containing the text (1.5 million index entries
    for 有限公 at 1,000,000 customers, 0.5 s); by id it is a few rows each."""
    if not verify:
        return set(ids)
    if not ids:
        return set()
    if connection.vendor == "postgresql":
        # The ids as one array and the text checked in the database: only the matching ids
        # come back (3 ms for 402 candidates of 业管理 at 1,000,000 customers, where sending
        # 402 parameters and reading every name key of each took 7-11 ms). The key's kind
        # and the text as expressions, not LIKEs, so only the customer_id index can answer
        # (with a LIKE, PostgreSQL once judged a walk of every n: key cheaper: 0.9 s).
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT DISTINCT customer_id FROM {SearchKey._meta.db_table} "  # noqa: S608
                "WHERE customer_id = ANY(%s) AND substr(key, 1, %s) = %s "
                "AND strpos(key, %s) > 0",
                [list(ids), len(NAME), NAME, verify],
            )
            return {row[0] for row in cursor.fetchall()}
    rows = SearchKey.objects.annotate(kind=Substr("key", 1, len(NAME))).filter(
        customer_id__in=ids, kind=NAME
    )
    return {pk for pk, key in rows.values_list("customer_id", "key") if verify in key}


def ranked_search(
    qs: QuerySet, query: Query, *, cap: int, scope: KeyScope | None = None
) -> RankedSearch:
    """The customers of ``qs`` that ``query`` finds, best tier first, at most ``cap`` + 1
    (the one more tells that there are more). Few keys: two queries (``_narrow``). A broad
    query: tier by tier, each stopping as soon as the cap is reached, so it costs about a
    page's worth of look-ups per tier. ``scope`` (``key_scope(user)``, a superset of
    ``qs``'s customers) narrows the keys read before any customer is looked up."""
    with _small_queries():
        return _ranked(qs, query, cap=cap, scope=scope)


@contextmanager
def _small_queries() -> Iterator[None]:
    """PostgreSQL: no parallel workers and no JIT while a search runs. Its queries read a
    few thousand index entries at most, yet overestimated prefixes push their costs past
    the thresholds: at 1,000,000 customers a two-pair join did 2 ms of work in two workers
    that took 43 ms to start on the loaded 2-core machine, and the whole-name check spent
    2.8 ms of its 7 ms compiling. Set for the session and reset after, two short
    statements."""
    if connection.vendor != "postgresql":
        yield
        return
    reset = "RESET max_parallel_workers_per_gather; RESET jit"
    with connection.cursor() as cursor:
        cursor.execute("SET max_parallel_workers_per_gather = 0; SET jit = off")
    try:
        yield
    except BaseException:
        # A failed statement inside a transaction leaves it refusing the RESET, and its
        # rollback undoes the SET anyway: the first error is the one to report.
        with suppress(DatabaseError), connection.cursor() as cursor:
            cursor.execute(reset)
        raise
    with connection.cursor() as cursor:
        cursor.execute(reset)


def _ranked(qs: QuerySet, query: Query, *, cap: int, scope: KeyScope | None) -> RankedSearch:
    narrow = _narrow(qs, query, cap=cap, scope=scope)
    if narrow is not None:
        return narrow
    steps: list[Callable[[set[int], int], list[int]]] = []
    if query.exact:
        equal = Q(key__in=query.exact)
        steps.append(
            lambda seen, want: _tier_ids(qs, equal, seen=seen, want=want, scope=scope, exact=True)
        )
    if query.heads:
        # The same customers as the prefixes, as exact keys: newest first from the index.
        heads = Q(key__in=query.heads)
        one = len(query.heads) == 1
        steps.append(
            lambda seen, want: _tier_ids(qs, heads, seen=seen, want=want, scope=scope, exact=one)
        )
    elif query.prefixes:
        starts = _any_prefix(query.prefixes)
        steps.append(lambda seen, want: _tier_ids(qs, starts, seen=seen, want=want, scope=scope))
    if query.all_of:
        steps.append(
            lambda seen, want: _all_keys_ids(
                qs, query.all_of, seen=seen, want=want, verify=query.verify, scope=scope
            )
        )
    if query.inner_prefixes:
        inner = _any_prefix(query.inner_prefixes)
        steps.append(
            lambda seen, want: _tier_ids(
                qs, inner, seen=seen, want=want, verify=query.verify, scope=scope
            )
        )
    tiers: list[list[int]] = []
    seen: set[int] = set()
    want = cap + 1
    for step in steps:
        if want <= 0:
            break
        found = [pk for pk in step(seen, want) if pk not in seen][:want]
        tiers.append(found)
        seen.update(found)
        want -= len(found)
    return RankedSearch(tiers=tiers, capped=want <= 0)


# --- rebuilding every customer's keys ---------------------------------------------------

BATCH = 20_000


def _customers(
    customer_model: Any, contact_model: Any
) -> Iterator[list[tuple[int, int | None, set[str]]]]:
    """Every customer's (id, team id, keys), a batch at a time, in id order."""
    last = 0
    while True:
        rows = list(
            customer_model.objects.filter(id__gt=last)
            .order_by("id")
            .values_list("id", "team_id", "name", "name_en", "aliases", "phone", "email")[:BATCH]
        )
        if not rows:
            return
        last = rows[-1][0]
        extra: dict[int, list[tuple[str, str]]] = {}
        for cid, kind, value in contact_model.objects.filter(
            customer_id__gte=rows[0][0], customer_id__lte=last, kind__in=("phone", "email")
        ).values_list("customer_id", "kind", "value"):
            extra.setdefault(cid, []).append((kind, value))
        batch = []
        for cid, team_id, name, name_en, aliases, phone, email in rows:
            more = extra.get(cid, ())
            keys = customer_keys(
                name=name,
                name_en=name_en,
                aliases=[a for a in aliases or () if isinstance(a, str)],
                phones=[phone, *(v for k, v in more if k == "phone")],
                emails=[email, *(v for k, v in more if k == "email")],
            )
            batch.append((cid, team_id, keys))
        yield batch


def add_head_keys(*, key_model: Any = None) -> int:
    """Write the ``h:`` keys (``search.head_keys``) of every customer from its ``n:`` keys,
    for a table filled before they existed (migration 0014); returns how many. On
    PostgreSQL one INSERT … SELECT; elsewhere a pass in Python."""
    key_model = key_model or SearchKey
    table = connection.ops.quote_name(key_model._meta.db_table)
    if connection.vendor == "postgresql":
        # The characters search.head_keys calls Han (its _HAN_CHAR), as a regular expression.
        han = "[\u3400-\u9fff]"
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (customer_id, team_id, key) "  # noqa: S608
                f"SELECT DISTINCT customer_id, team_id, %s || head FROM ("
                f" SELECT customer_id, team_id, substr(key, 3, 1) AS head FROM {table}"
                f"  WHERE key LIKE %s AND substr(key, 3, 1) ~ %s"
                f" UNION ALL"
                f" SELECT customer_id, team_id, substr(key, 3, 2) FROM {table}"
                f"  WHERE key LIKE %s AND substr(key, 3, 2) ~ %s) heads",
                [HEAD, NAME + "%", f"^{han}$", NAME + "%", f"^{han}{{2}}$"],
            )
            return cursor.rowcount
    written, batch = 0, []
    last = None
    rows = key_model.objects.filter(key__startswith=NAME).order_by("customer_id")
    heads: set[str] = set()
    for customer_id, team_id, key in rows.values_list("customer_id", "team_id", "key").iterator():
        if last is not None and customer_id != last[0]:
            batch += [key_model(customer_id=last[0], team_id=last[1], key=h) for h in heads]
            heads = set()
        last = (customer_id, team_id)
        heads |= head_keys([key[len(NAME) :]])
    if last is not None:
        batch += [key_model(customer_id=last[0], team_id=last[1], key=h) for h in heads]
    for start in range(0, len(batch), 5_000):
        key_model.objects.bulk_create(batch[start : start + 5_000])
        written += len(batch[start : start + 5_000])
    return written


@contextmanager
def indexes_built_after(cursor: Any, table: str) -> Iterator[None]:
    """PostgreSQL: every index of ``table`` but the primary key's dropped, and built again
    (once, from the finished rows) when the block ends — rewriting millions of rows is
    several times faster without them. The definitions are the ones in the database now
    (a migration may just have created one)."""
    cursor.execute(
        "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s AND indexname "
        "NOT IN (SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass)",
        [table, table],
    )
    indexes = cursor.fetchall()
    for name, _definition in indexes:
        cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
    yield
    for _name, definition in indexes:
        cursor.execute(definition)


def rebuild_search_keys(
    *,
    customer_model: Any = None,
    contact_model: Any = None,
    key_model: Any = None,
    progress: Callable[[int, float], None] | None = None,
) -> int:
    """Replace every customer's search keys with the ones ``customer_keys`` gives today;
    returns the number of keys written. The models may be a migration's historical ones.
    On PostgreSQL the table is emptied and refilled with COPY, its indexes dropped first
    and built once at the end (a million customers: figures in bench/README.md)."""
    from kehu.customers.models import ContactPoint, Customer

    customer_model = customer_model or Customer
    contact_model = contact_model or ContactPoint
    key_model = key_model or SearchKey
    table = key_model._meta.db_table
    # Migration 0011's keys have no team yet (0013 adds and fills it).
    with_team = any(f.name == "team_id" for f in key_model._meta.concrete_fields)
    started = time.perf_counter()
    written = 0
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor, indexes_built_after(cursor, table):
            cursor.execute(f"TRUNCATE {connection.ops.quote_name(table)}")
            for batch in _customers(customer_model, contact_model):
                columns = "customer_id, team_id, key" if with_team else "customer_id, key"
                with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:  # noqa: S608
                    for cid, team_id, keys in batch:
                        for key in keys:
                            copy.write_row((cid, team_id, key) if with_team else (cid, key))
                written += sum(len(keys) for _cid, _team, keys in batch)
                if progress:
                    progress(written, time.perf_counter() - started)
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")
        return written
    key_model.objects.all().delete()
    for batch in _customers(customer_model, contact_model):
        key_model.objects.bulk_create(
            [
                key_model(customer_id=cid, key=k, **({"team_id": team_id} if with_team else {}))
                for cid, team_id, keys in batch
                for k in keys
            ],
            batch_size=5_000,
        )
        written += sum(len(keys) for _cid, _team, keys in batch)
        if progress:
            progress(written, time.perf_counter() - started)
    return written
