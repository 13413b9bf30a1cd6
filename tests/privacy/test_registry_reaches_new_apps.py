"""An app written later adds its data by registering a source: export and erasure reach it
without a change to the privacy app."""

from kehu.core import personal_data
from kehu.privacy import services


def test_registry_reaches_new_apps(org, person):
    erased: list[list[int]] = []

    def erase(*, customer_ids, identifiers, by):
        erased.append(list(customer_ids))
        assert "310101198001011234" in identifiers
        return 1

    source = personal_data.Source(
        key="development.leads",
        label="Leads",
        rows=lambda ids: [{"customer_id": i, "lead": "L-1"} for i in ids],
        erase=erase,
    )
    personal_data.register(source)
    try:
        sections = {s["key"]: s for s in services.collect(customer_ids=[person.pk])}
        assert sections["development.leads"]["rows"] == [{"customer_id": person.pk, "lead": "L-1"}]
        erasure = services.customer_erase(customer=person, by=org.root, reason="R")
        assert erased == [[person.pk]] and erasure.counts["development.leads"] == 1
    finally:
        personal_data._SOURCES.pop("development.leads")
