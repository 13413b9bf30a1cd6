"""The contract document is validated (type by name and content, size, not empty) and the
dates checked; a refused upload stores no file and changes nothing. Through the page too:
400 with the field named, never 500."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from kehu.dealers import services

from .conftest import PDF, pdf, snapshot, to_contract

pytestmark = pytest.mark.django_db

START, END = dt.date(2026, 7, 1), dt.date(2027, 6, 30)


@pytest.fixture
def at_contract(org, dealer, media):
    return to_contract(services.start(customer=dealer, by=org.alice), org.mia)


def _files(media):
    return [p for p in media.rglob("*") if p.is_file()] if media.exists() else []


@pytest.mark.parametrize(
    "name,content",
    [
        ("contract.exe", b"MZ\x90\x00"),  # wrong type
        ("contract.pdf", b"MZ\x90\x00 renamed executable"),  # content is not a PDF
        ("contract.pdf", b""),  # empty
        ("contract.docx", PDF),  # not an accepted type, even with PDF bytes
    ],
)
def test_bad_documents_are_refused(org, at_contract, media, name, content):
    before = snapshot(at_contract)
    with pytest.raises(ValidationError) as exc:
        services.record_contract(onboarding=at_contract, by=org.mia,
                                 document=pdf(name, content), starts_on=START, ends_on=END)  # fmt: skip
    assert "contract_file" in exc.value.message_dict
    assert snapshot(at_contract) == before
    assert _files(media) == []


def test_too_large_is_refused(org, at_contract, media, settings):
    settings.KEHU_DEALER_CONTRACT_MAX_MB = 1
    big = PDF + b"0" * (1024 * 1024)
    before = snapshot(at_contract)
    # English, whatever the default language: the message is matched by its words.
    with translation.override("en"), pytest.raises(ValidationError, match="larger than 1 MB"):
        services.record_contract(onboarding=at_contract, by=org.mia,
                                 document=pdf("big.pdf", big), starts_on=START, ends_on=END)  # fmt: skip
    assert snapshot(at_contract) == before


def test_end_before_start_is_refused(org, at_contract, media):
    before = snapshot(at_contract)
    with pytest.raises(ValidationError) as exc:
        services.record_contract(onboarding=at_contract, by=org.mia, document=pdf(),
                                 starts_on=END, ends_on=START)  # fmt: skip
    assert "contract_end" in exc.value.message_dict
    assert snapshot(at_contract) == before
    assert _files(media) == []


def test_a_good_pdf_is_stored_under_media(org, at_contract, media):
    ob = services.record_contract(onboarding=at_contract, by=org.mia, document=pdf(),
                                  starts_on=START, ends_on=END, renewal_days=45)  # fmt: skip
    assert ob.state == "approval"
    assert ob.contract_file.name.startswith("dealers/contracts/")
    assert (media / ob.contract_file.name).read_bytes() == PDF
    assert ob.renewal_due_on == dt.date(2027, 5, 16)


def test_the_page_answers_400_naming_the_field(client, org, at_contract, media):
    client.force_login(org.mia)
    before = snapshot(at_contract)
    response = client.post(
        reverse("dealers:contract", args=[at_contract.pk]),
        {
            "contract_file": pdf("x.pdf", b"not a pdf"),
            "contract_start": "2026-07-01",
            "contract_end": "2027-06-30",
            "renewal_days": "30",
        },  # fmt: skip
    )
    assert response.status_code == 400
    assert "contract_file" in response.content.decode()
    assert snapshot(at_contract) == before
