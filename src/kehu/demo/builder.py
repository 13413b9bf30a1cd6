"""The demo build: reference data first, then customers in batches — each batch planned,
generated and written in its own transaction, so memory stays bounded at any size."""

from __future__ import annotations

import datetime as dt
import time
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from django.conf import settings
from django.db import connection, transaction

from kehu.core import audit
from kehu.customers.models import (
    Address,
    ContactPoint,
    Customer,
    CustomerShare,
    Interaction,
    OwnerHistory,
    Relation,
    SearchKey,
)
from kehu.demo.commerce import build_commerce
from kehu.demo.common import Clock
from kehu.demo.customers import plan_batch
from kehu.demo.dealers import build_dealers
from kehu.demo.development import build_development
from kehu.demo.knowledge import build_knowledge
from kehu.demo.links import build_links
from kehu.demo.org import ensure_org
from kehu.demo.portal import build_portal
from kehu.demo.proactive import build_proactive
from kehu.demo.profiles import build_profiles
from kehu.demo.retention import build_retention
from kehu.demo.service import build_service
from kehu.demo.surveys import build_surveys
from kehu.demo.writer import Writer
from kehu.retention.models import Task
from kehu.sales.models import Invoice, Order, OrderLine, Payment
from kehu.service.models import Ticket, TicketMessage

BATCH = 50_000
# The label of the build's audit event. It keeps the name it had when the demo lived in
# core, so databases built then are still recognised (the web benchmark reuses them).
AUDIT_MODEL = "core.demo"
# Every table a batch writes (the reference data — users, products, … — goes through the ORM).
TABLES = (Customer, SearchKey, Customer.tags.through, ContactPoint, Address, OwnerHistory,
          CustomerShare, Relation, Order, OrderLine, Invoice, Payment, Interaction, Ticket,
          TicketMessage, Task)  # fmt: skip


@dataclass
class Options:
    customers: int = 2_000
    seed: int = 42
    years: int = 2
    as_of: dt.date = field(default_factory=dt.date.today)
    orders_per_customer: float | None = None  # default: 5 a year
    batch_size: int = BATCH

    @property
    def target_orders(self) -> float:
        return self.orders_per_customer or 5.0 * self.years


@dataclass
class Report:
    options: Options
    counts: dict[str, int]
    seconds: float
    logins: list[tuple[str, str]]

    @property
    def customers(self) -> int:
        return self.counts.get("customers.Customer", 0)

    @property
    def orders(self) -> int:
        return self.counts.get("sales.Order", 0)

    @property
    def customers_per_s(self) -> float:
        return self.customers / self.seconds if self.seconds else 0.0

    @property
    def orders_per_s(self) -> float:
        return self.orders / self.seconds if self.seconds else 0.0

    @property
    def rows(self) -> int:
        return sum(self.counts.values())


def _fast_load(*, replica: bool) -> None:
    """Settings for this batch's transaction on PostgreSQL. Losing the last batches to a
    crash costs a rebuild, not consistency, so commits need not wait for the disk. With
    ``replica`` (superusers only), foreign-key triggers are skipped as pg_restore
    --disable-triggers does: every reference in a batch points at rows the generator wrote
    in the same batch or at the reference data, and checking tens of millions of them one
    by one (each locking the referenced row) costs more than writing them."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL synchronous_commit TO OFF")
        if replica:
            cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
            if cursor.fetchone()[0]:
                cursor.execute("SET LOCAL session_replication_role TO replica")


def demo_present() -> bool:
    return Customer.objects.filter(external_id__startswith="demo-").exists()


def build(options: Options, *, on_batch: Callable[[int, int], None] | None = None) -> Report:
    """Build the demo data set; ``on_batch(customers_done, orders_done)`` reports progress."""
    started = time.perf_counter()
    offset = zoneinfo.ZoneInfo(settings.TIME_ZONE).utcoffset(
        dt.datetime.combine(options.as_of, dt.time(12))
    )
    clock = Clock(options.as_of, options.years, offset or dt.timedelta(0))
    with transaction.atomic():
        org = ensure_org(options.as_of, options.years)
    writer = Writer()
    # A fresh PostgreSQL database (the benchmarks, a first `make run`): nobody uses these
    # tables yet, so load them without indexes and foreign-key checks, then index once.
    fresh = writer.postgres and not any(m._default_manager.exists() for m in TABLES)
    if fresh:
        with transaction.atomic():
            writer.defer_indexes(TABLES)
    try:
        _batches(options, org, clock, writer, fresh, on_batch)
    finally:
        writer.restore_indexes()
    writer.finish()
    if fresh:
        with connection.cursor() as cursor:
            for model in TABLES:
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
    build_development(options, org)  # leads and cards (issue #14), through their services
    build_dealers(options, org)  # dealers in every onboarding state (issue #14, F8)
    build_knowledge(options, org)  # knowledge-base articles (issue #13), likewise
    build_retention(options, org)  # a year of retention history (issue #11), likewise
    build_surveys(options, org)  # CSAT and NPS answers with the loyalty shape (issue #13)
    build_proactive(options, org)  # the nightly proactive suggestions as of the day (issue #13)
    build_portal(options, org)  # the "customer" login's portal access (issue #13)
    seconds = time.perf_counter() - started
    report = Report(options, dict(writer.counts), seconds, org.logins)
    with audit.acting_as(None, "demo"):
        audit.record(
            action="import",
            model=AUDIT_MODEL,
            object_id=options.seed,
            summary=(
                f"Demo data: {report.customers:,} customers, {report.orders:,} orders "
                f"(seed {options.seed}, as of {options.as_of})"
            ),
            changes={
                "seed": options.seed,
                "customers": options.customers,
                "years": options.years,
                "as_of": options.as_of,
                "orders_per_customer": options.target_orders,
                "batch_size": options.batch_size,
                "rows": report.counts,
                "seconds": round(seconds, 1),
            },
        )
    return report


def _batches(options: Options, org, clock: Clock, writer: Writer, fresh: bool, on_batch) -> None:
    seen_companies: set[str] = set()
    # Numbers derived from the seed, so phone numbers and e-mails differ between seeds too.
    salt = int(np.random.default_rng([options.seed, 2**20]).integers(0, 10**7))
    done = 0
    for batch, first in enumerate(range(0, options.customers, options.batch_size)):
        n = min(options.batch_size, options.customers - first)
        # One generator per batch: batch k's data depends only on the seed and k.
        rng = np.random.default_rng([options.seed, batch])
        with transaction.atomic():
            if writer.postgres:
                _fast_load(replica=fresh)
            ids = writer.alloc(Customer, n)
            plan = plan_batch(rng, first_number=first + 1, ids=ids, org=org, clock=clock)
            profiles = build_profiles(
                rng, plan, org, clock, seen_companies=seen_companies, salt=salt
            )
            commerce = build_commerce(
                rng, plan, org, clock, writer.alloc, orders_per_customer=options.target_orders
            )
            links = build_links(rng, plan, org, clock, writer.alloc, profiles.groups)
            service = build_service(rng, plan, org, clock, writer.alloc, commerce)
            for table in (
                profiles.customers,
                profiles.search_keys,
                profiles.tags,
                profiles.contacts,
                profiles.addresses,
                links.owner_history,
                links.shares,
                links.relations,
                commerce.orders,
                commerce.lines,
                commerce.invoices,
                commerce.payments,
                service.interactions,
                service.tickets,
                service.ticket_messages,
                service.tasks,
            ):
                writer.write(table)
        done += n
        if on_batch:
            on_batch(done, writer.counts["sales.Order"])
