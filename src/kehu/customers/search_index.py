"""The search-key table at work: a typed query answered tier by tier (exact, prefix,
substring) within the customers a user may see, and the keys of every customer rebuilt
at once (after the key scheme changes; ``kehu search rebuild``).

Day-to-day writes keep the keys current one customer at a time
(``services.refresh_search_keys``; imports and the demo COPY ``customer_keys`` too)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet

from kehu.customers.models import SearchKey
from kehu.customers.search import NAME, Query, customer_keys

# A tier's keys are read ahead up to this many: fewer are looked up by id; more (a broad
# query: 上海, zhang, 王) are joined with the visible customers newest first, which stops
# after the cap.
PROBE = 2_000
# The most keys of a broad prefix read newest first before all of them are: a user who
# sees few of its customers (a manager searching another region's city) pays one look-up
# per match either way, and each wider read repeats the narrower one's.
BROAD_READ_MAX = 4_000


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
    if verify:
        rows = rows.filter(
            Exists(
                SearchKey.objects.filter(
                    customer_id=OuterRef("pk"), key__startswith=NAME, key__contains=verify
                )
            )
        )
    found = rows.order_by("-id").values_list("id", flat=True)[:want]
    return list(dict.fromkeys(found))  # a key stored twice must not list a customer twice


def _tier_ids(qs: QuerySet, keys: Q, *, seen: set[int], want: int, verify: str = "") -> list[int]:
    """Up to ``want`` ids of customers in ``qs`` (newest first, not in ``seen``) with a key
    matching ``keys`` (and a whole-name key containing ``verify``)."""
    probe = list(SearchKey.objects.filter(keys).values_list("customer_id", flat=True)[: PROBE + 1])
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
    matching = SearchKey.objects.filter(keys).order_by("-customer_id").values("customer_id")
    found: list[int] = []
    limit = 2 * want
    while limit <= BROAD_READ_MAX:
        rows = qs.filter(id__in=matching[:limit])
        if seen:
            rows = rows.exclude(id__in=sorted(seen))
        found = _newest(rows, want=want, verify=verify)
        if len(found) >= want:
            return found
        limit *= 8
    rows = qs.filter(id__in=matching)
    if seen:
        rows = rows.exclude(id__in=sorted(seen))
    return _newest(rows, want=want, verify=verify)


def _all_keys_ids(
    qs: QuerySet, keys: tuple[str, ...], *, seen: set[int], want: int, verify: str
) -> list[int]:
    """Customers holding every one of ``keys`` (the pairs of a Chinese substring): a join
    per key on the (key, customer_id) index, whose postings come newest customer first."""
    rows = qs
    for key in keys:
        rows = rows.filter(search_keys__key=key)
    if seen:
        rows = rows.exclude(id__in=sorted(seen))
    return _newest(rows, want=want, verify=verify)


def _any_prefix(prefixes: tuple[str, ...]) -> Q:
    condition = Q()
    for prefix in prefixes:
        condition |= Q(key__startswith=prefix)
    return condition


def _tier_of(keys: set[str], query: Query) -> int | None:
    """0 exact, 1 prefix, 2 substring (still to be checked whole when ``query.verify``)."""
    if keys & set(query.exact):
        return 0
    if any(k.startswith(p) for p in query.prefixes for k in keys):
        return 1
    if query.all_of and set(query.all_of) <= keys:
        return 2
    if any(k.startswith(p) for p in query.inner_prefixes for k in keys):
        return 2
    return None


def _narrow(qs: QuerySet, query: Query, *, cap: int) -> RankedSearch | None:
    """Every tier at once when the query's keys are few (the usual case): one read of the
    visible customers with their matching keys; None when they are too many."""
    condition = Q(search_keys__key__in=query.exact + query.all_of)
    for prefix in query.prefixes + query.inner_prefixes:
        condition |= Q(search_keys__key__startswith=prefix)
    rows = qs.filter(condition).values_list("id", "search_keys__key")
    if query.verify:
        whole = SearchKey.objects.filter(
            customer_id=OuterRef("pk"), key__startswith=NAME, key__contains=query.verify
        )
        rows = rows.annotate(whole=Exists(whole)).values_list("id", "search_keys__key", "whole")
    got = list(rows[: PROBE + 1])
    if len(got) > PROBE:
        return None
    keys_of: dict[int, set[str]] = {}
    whole_of: dict[int, bool] = {}
    for row in got:
        keys_of.setdefault(row[0], set()).add(row[1])
        whole_of[row[0]] = row[2] if query.verify else True
    tier_of = {cid: t for cid, keys in keys_of.items() if (t := _tier_of(keys, query)) is not None}
    found = [(pk, whole_of[pk]) for pk in tier_of]
    tiers: list[list[int]] = [[], [], []]
    for pk, whole_ok in sorted(found, reverse=True):
        if tier_of[pk] < 2 or whole_ok:
            tiers[tier_of[pk]].append(pk)
    kept, left = [], cap + 1
    for tier in tiers:
        kept.append(tier[:left])
        left -= len(kept[-1])
    return RankedSearch(tiers=kept, capped=sum(map(len, tiers)) > cap)


def ranked_search(qs: QuerySet, query: Query, *, cap: int) -> RankedSearch:
    """The customers of ``qs`` that ``query`` finds, best tier first, at most ``cap`` + 1
    (the one more tells that there are more). Few keys: two queries (``_narrow``). A broad
    query: tier by tier, each stopping as soon as the cap is reached, so it costs about a
    page's worth of look-ups per tier."""
    narrow = _narrow(qs, query, cap=cap)
    if narrow is not None:
        return narrow
    steps: list[Callable[[set[int], int], list[int]]] = []
    if query.exact:
        steps.append(lambda seen, want: _tier_ids(qs, Q(key__in=query.exact), seen=seen, want=want))
    if query.prefixes:
        starts = _any_prefix(query.prefixes)
        steps.append(lambda seen, want: _tier_ids(qs, starts, seen=seen, want=want))
    if query.all_of:
        steps.append(
            lambda seen, want: _all_keys_ids(
                qs, query.all_of, seen=seen, want=want, verify=query.verify
            )
        )
    if query.inner_prefixes:
        inner = _any_prefix(query.inner_prefixes)
        steps.append(
            lambda seen, want: _tier_ids(qs, inner, seen=seen, want=want, verify=query.verify)
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


def _customers(customer_model: Any, contact_model: Any) -> Iterator[list[tuple[int, set[str]]]]:
    """Every customer's keys, a batch at a time, in id order."""
    last = 0
    while True:
        rows = list(
            customer_model.objects.filter(id__gt=last)
            .order_by("id")
            .values_list("id", "name", "name_en", "aliases", "phone", "email")[:BATCH]
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
        for cid, name, name_en, aliases, phone, email in rows:
            more = extra.get(cid, ())
            keys = customer_keys(
                name=name,
                name_en=name_en,
                aliases=[a for a in aliases or () if isinstance(a, str)],
                phones=[phone, *(v for k, v in more if k == "phone")],
                emails=[email, *(v for k, v in more if k == "email")],
            )
            batch.append((cid, keys))
        yield batch


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
    started = time.perf_counter()
    written = 0
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # Every index but the primary key's, as it is defined now (the migration that
            # calls this may just have created it).
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s AND indexname "
                "NOT IN (SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass)",
                [table, table],
            )
            indexes = cursor.fetchall()
            for name, _definition in indexes:
                cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
            cursor.execute(f"TRUNCATE {connection.ops.quote_name(table)}")
            for batch in _customers(customer_model, contact_model):
                with cursor.cursor.copy(f"COPY {table} (customer_id, key) FROM STDIN") as copy:  # noqa: S608
                    for cid, keys in batch:
                        for key in keys:
                            copy.write_row((cid, key))
                written += sum(len(keys) for _cid, keys in batch)
                if progress:
                    progress(written, time.perf_counter() - started)
            for _name, definition in indexes:
                cursor.execute(definition)
            cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")
        return written
    key_model.objects.all().delete()
    for batch in _customers(customer_model, contact_model):
        key_model.objects.bulk_create(
            [key_model(customer_id=cid, key=k) for cid, keys in batch for k in keys],
            batch_size=5_000,
        )
        written += sum(len(keys) for _cid, keys in batch)
        if progress:
            progress(written, time.perf_counter() - started)
    return written
