"""One registry of customer fields: every model column is classified there, and the entry
form, the API's input and output, the merge and the update allow-list read it."""

from __future__ import annotations

import pytest

from kehu.api.schemas import CustomerOut, CustomerPatch
from kehu.customers import fields
from kehu.customers.forms import CustomerForm
from kehu.customers.models import Customer
from kehu.quality import merge

pytestmark = pytest.mark.django_db


def test_every_model_field_is_classified():
    model = {f.name for f in Customer._meta.get_fields() if f.concrete or f.many_to_many}
    assert model == set(fields.BY_NAME)


def test_labels_are_the_models_translatable_names():
    assert str(fields.field("phone").label) == str(Customer._meta.get_field("phone").verbose_name)


def test_form_shows_the_registrys_form_fields():
    shown = [n for n in CustomerForm().fields if n in fields.BY_NAME and n != "version"]
    assert shown == list(fields.FORM_FIELDS)


def test_api_accepts_exactly_the_editable_fields():
    api_names = {fields.field(n).attname if n == "partner" else n for n in fields.EDITABLE}
    # Further contact points are rows of their own (ContactPoint), not Customer columns.
    assert set(CustomerPatch.model_fields) - {"contact_points"} == api_names


def test_api_writes_out_the_exported_fields():
    exported = set(fields.names(exported=True))
    assert exported <= set(CustomerOut.model_fields)


def test_merge_copies_only_mergeable_fields():
    assert merge.NOT_COPIED == fields.NOT_MERGED
    assert "profit" in merge.NOT_COPIED and "phone" not in merge.NOT_COPIED


def test_personal_fields_are_masked_and_personal_search_is_separate():
    assert set(fields.MASKED) == {"phone", "email", "address", "birthday", "id_number"}
    assert set(fields.names(search="personal")) == {"phone", "email"}


def test_the_importer_takes_the_registrys_importable_fields():
    from kehu.imports import mapping

    taken = {f.name for f in mapping.CUSTOMER_FIELDS} - mapping.IMPORT_ONLY_FIELDS
    assert taken == set(fields.IMPORTABLE)


def test_the_matcher_compares_the_registrys_matched_fields():
    from kehu.quality import matcher, warning

    assert matcher.DB_FIELDS[0] == "id" and matcher.DB_FIELDS[1:] == fields.MATCHED
    assert set(warning.WARNING_FIELDS) == set(fields.MATCHED)
    assert {"name", "phone", "email", "address", "id_number"} <= set(fields.MATCHED)
