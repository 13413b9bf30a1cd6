"""The bulk path with worker processes (PostgreSQL, committed data): same results as the
in-process path, including awkward text for COPY."""

import pytest
from django.db import connection

from kehu.customers.models import Customer, SearchKey
from kehu.imports import services

pytestmark = pytest.mark.postgres


@pytest.fixture
def committed(transactional_db, org):
    if connection.vendor != "postgresql":
        pytest.skip("worker processes are used on PostgreSQL only")
    return org


def test_workers_import_and_reimport(committed, customers_csv):
    org = committed
    rows = [
        [f"W-{i}", f"并行{i}", f"1360000{i:04d}", "", "上海", "", "", "标签A"] for i in range(30)
    ]
    rows[3][1] = ""  # invalid
    rows[5][4] = 'back\\slash\ttab "quote"'  # COPY must escape these
    path = customers_csv(rows)
    job = services.job_create(user=org.alice, kind="customers", path=path)
    services.job_run(job=job, by=org.alice, workers=2, batch_size=7)
    assert job.counts == {"created": 29, "updated": 0, "unchanged": 0, "failed": 1}
    assert Customer.objects.get(external_id="W-5").city == 'back\\slash\ttab "quote"'
    assert SearchKey.objects.filter(customer__external_id="W-7", key="n:并行7").exists()
    assert Customer.objects.get(external_id="W-9").tags.get().name == "标签A"

    again = services.job_create(user=org.alice, kind="customers", path=path)
    services.job_run(job=again, by=org.alice, workers=2, batch_size=7)
    assert again.counts == {"created": 0, "updated": 0, "unchanged": 29, "failed": 1}


def test_key_lane_rolls_back_with_a_failed_batch(committed, customers_csv, monkeypatch):
    """The keys written on the second connection go with their batch: a batch the
    database refuses is retried row by row (keys on the main connection), and no key is
    left for a customer that was never stored."""
    from kehu.imports import bulk

    org = committed
    rows = [[f"L-{i}", f"通道{i}", f"1350000{i:04d}", "", "", "", "", ""] for i in range(12)]
    real = bulk.CustomerWriter._create
    attempts = []

    def refuse_first_batch(self, new):
        real(self, new)
        attempts.append(len(new))
        if len(attempts) == 1:  # after the lane started this batch's keys
            assert self.lane is not None and not self.lane.free
            from django.db import DatabaseError

            raise DatabaseError("refused")

    monkeypatch.setattr(bulk.CustomerWriter, "_create", refuse_first_batch)
    job = services.job_create(user=org.alice, kind="customers", path=customers_csv(rows))
    services.job_run(job=job, by=org.alice, workers=2, batch_size=6)
    assert job.counts == {"created": 12, "updated": 0, "unchanged": 0, "failed": 0}
    assert attempts[0] == 6 and attempts[1:7] == [1] * 6  # the batch, then row by row
    stored = set(Customer.objects.values_list("id", flat=True))
    keys = set(SearchKey.objects.values_list("customer_id", flat=True))
    assert keys == stored & keys and len(keys) >= 12  # no orphan, every customer keyed
    for i in range(12):
        assert SearchKey.objects.filter(customer__external_id=f"L-{i}", key=f"n:通道{i}").exists()


def test_key_lane_failure_is_a_database_error_and_leaves_nothing(committed):
    """A COPY the database refuses on the lane surfaces as Django's DatabaseError (the
    import marks the job failed), takes nothing with it, and the lane carries on."""
    from django.db import DatabaseError

    from kehu.imports.lane import KeyLane

    customer = committed.customer
    lane = KeyLane()
    try:
        # COPY rows (customer id, team id, key): pgcopy.KEY_COLUMNS.
        lane.copy(f"{customer.pk}\t\\N\tn:lost\nnot-a-number\t\\N\tn:bad\n")
        with pytest.raises(DatabaseError):
            lane.commit()
        lane.copy(f"{customer.pk}\t\\N\tn:kept\n")
        lane.commit()
    finally:
        lane.close()
    assert not SearchKey.objects.filter(key__in=["n:lost", "n:bad"]).exists()
    assert SearchKey.objects.filter(customer=customer, key="n:kept").exists()
