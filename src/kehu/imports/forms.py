"""Upload and mapping forms."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kehu.imports import mapping as mapping_mod
from kehu.imports.models import Kind

MAX_UPLOAD_MB = 200


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("What the file holds"), choices=Kind.choices)
    file = forms.FileField(
        label=_("CSV or Excel file"),
        help_text=_(
            "UTF-8, UTF-8 with BOM, GBK/GB18030 CSV, or XLSX; the first row holds the "
            "column headers."
        ),
        widget=forms.ClearableFileInput(attrs={"id": "import-file", "accept": ".csv,.txt,.xlsx"}),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None:
            # Only the kinds this user may import are offered (leads: IMPORT_LEADS).
            from kehu.imports.services import may_import

            self.fields["kind"].choices = [
                (value, label) for value, label in Kind.choices if may_import(user, value)
            ]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        name = upload.name.lower()
        if not name.endswith((".csv", ".txt", ".tsv", ".xlsx", ".xlsm")):
            raise forms.ValidationError(_("Upload a .csv or .xlsx file."))
        if upload.size > MAX_UPLOAD_MB * 1024 * 1024:
            raise forms.ValidationError(
                _("Files over %(n)d MB: use the command line (kehu import).") % {"n": MAX_UPLOAD_MB}
            )
        return upload


class MappingForm(forms.Form):
    """One select per column of the file, pre-set to the auto-detected (or saved) field."""

    save_as = forms.CharField(label=_("Save this mapping as"), required=False, max_length=100)
    shared = forms.BooleanField(label=_("Share with everyone"), required=False)

    def __init__(self, *args, kind: str, headers: list[str], mapping: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.headers = headers
        choices = [("", _("— ignore —")), *mapping_mod.field_choices(kind)]
        for index, header in enumerate(headers):
            self.fields[f"col_{index}"] = forms.ChoiceField(
                label=header,
                choices=choices,
                required=False,
                initial=mapping.get(header, ""),
                widget=forms.Select(attrs={"id": f"import-map-{index}", "data-column": header}),
            )

    def column_fields(self):
        return [(h, self[f"col_{i}"]) for i, h in enumerate(self.headers)]

    def mapping(self) -> dict[str, str]:
        return {h: self.cleaned_data.get(f"col_{i}") or "" for i, h in enumerate(self.headers)}
