"""A row a worker process took for new (slim: only what an insert needs) but that matches a
stored customer by the time it is written is cleaned again in full and updates it."""

from kehu.customers.models import Customer
from kehu.imports.bulk import CustomerWriter
from kehu.imports.rows import Context, clean_customer


def test_slim_row_that_turns_out_stored_is_recleaned(org):
    writer = CustomerWriter(ctx=Context(user=org.alice), job_id=None)
    cells = ["张伟", "13800138000", "广州"]
    cols = [(0, "name"), (1, "phone"), (2, "city")]
    full = clean_customer({n: cells[i] for i, n in cols}, writer.ctx)
    slim = {
        "_match": ("phone", "t:" + full["phone"]),
        "_pre": writer.prepare(full),
        "_slim": True,
        "_cells": cells,
    }
    writer.reclean = lambda data: clean_customer(  # what kehu.imports.parallel installs
        {n: data["_cells"][i] for i, n in cols}, writer.ctx
    )
    outcome = writer.write([(2, slim)])
    assert (outcome.created, outcome.updated, outcome.failures) == (0, 1, [])
    assert Customer.objects.get(pk=org.customer.pk).city == "广州"
