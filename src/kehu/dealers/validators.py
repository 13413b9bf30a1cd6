"""The contract document: a PDF or a scan (JPEG, PNG), at most ``KEHU_DEALER_CONTRACT_MAX_MB``
(10 MB by default). The first bytes are checked, not only the name: a renamed executable
must not be stored as a contract."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

SIGNATURES = {
    ".pdf": (b"%PDF-",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
}


def max_bytes() -> int:
    return int(getattr(settings, "KEHU_DEALER_CONTRACT_MAX_MB", 10)) * 1024 * 1024


def validate_contract_file(upload: Any) -> None:
    name = (getattr(upload, "name", "") or "").lower()
    ext = "." + name.rsplit(".", 1)[-1] if "." in name else ""
    if ext not in SIGNATURES:
        raise ValidationError(
            _("Contract document: only PDF, JPEG or PNG files are accepted (got “%(name)s”).")
            % {"name": getattr(upload, "name", "")},
            code="type",
        )
    if upload.size > max_bytes():
        raise ValidationError(
            _("Contract document: the file is larger than %(mb)s MB.")
            % {"mb": max_bytes() // (1024 * 1024)},
            code="size",
        )
    if upload.size == 0:
        raise ValidationError(_("Contract document: the file is empty."), code="empty")
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not any(head.startswith(sig) for sig in SIGNATURES[ext]):
        raise ValidationError(
            _("Contract document: the content is not a %(ext)s file.") % {"ext": ext[1:].upper()},
            code="content",
        )
