"""Entry forms (G1): the shared validators, choice lists, pre-filled dates, allowed ranges;
errors are shown next to the field."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kehu.core import validators
from kehu.core.formfields import StrictIntegerField
from kehu.core.models import Partner
from kehu.core.text import phone_display
from kehu.customers import divisions
from kehu.customers import fields as customer_fields
from kehu.customers.models import ContactPoint, Customer, Interaction, Relation, Tag

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
PICKER = ("division_province", "division_city", "division_district")


def division_choices(parent: str | None) -> list[tuple[str, str]]:
    """The options under ``parent`` ('' for the provinces; None, nothing chosen above: none)."""
    below = [] if parent is None else divisions.children(parent)
    return [("", "—"), *((d.code, d.name) for d in below)]


class CustomerForm(forms.ModelForm):
    tag_names = forms.CharField(
        label=_("Tags"), required=False, help_text=_("Comma-separated, e.g. VIP, golf")
    )
    aliases_text = forms.CharField(
        label=_("Alternative names"),
        required=False,
        help_text=_("Other script, pinyin or English names, comma-separated"),
    )
    # The version the form was loaded with: a save against a record changed since is refused.
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)
    # The place: picked from the national division list (province → city → district, each
    # list filled by htmx from the one before), or typed in the plain fields for an address
    # abroad.
    place_abroad = forms.BooleanField(
        label=_("Outside mainland China (type the place)"),
        required=False,
        widget=forms.CheckboxInput(attrs={"data-place-toggle": ""}),
    )
    division_province = forms.ChoiceField(label=_("Province"), required=False)
    division_city = forms.ChoiceField(label=_("City"), required=False)
    division_district = forms.ChoiceField(label=_("District"), required=False)

    class Meta:
        model = Customer
        # The field registry decides which model fields the form shows (and in what order).
        fields = list(customer_fields.FORM_FIELDS)
        widgets = {
            "birthday": DATE_INPUT,
            "acquired_on": DATE_INPUT,
            "notes": forms.Textarea(attrs={"rows": 3}),
            "phone": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
        }
        field_classes = {"household_size": StrictIntegerField, "employees": StrictIntegerField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = Partner.objects.filter(is_active=True)
        self._init_place()
        if not self.instance.pk:
            self.initial.setdefault("acquired_on", timezone.localdate())
        else:
            self.initial["version"] = self.instance.version
            self.initial["tag_names"] = ", ".join(self.instance.tags.values_list("name", flat=True))
            self.initial["aliases_text"] = ", ".join(str(a) for a in self.instance.aliases)
            if self.instance.phone:
                self.initial["phone"] = phone_display(self.instance.phone)

    def _init_place(self) -> None:
        instance = self.instance
        if instance.pk:
            code = instance.division_code or divisions.find(
                instance.province, instance.city, instance.district
            )
            chosen = [d.code for d in divisions.path(code)] if code else []
            typed = any(getattr(instance, n) for n in customer_fields.PLACE_NAMES)
            self.initial["place_abroad"] = typed and not chosen
            for name, value in zip(PICKER, chosen, strict=False):
                self.initial[name] = value
        # The lists below the chosen level: what the browser sent, else the stored place.
        source = self.data if self.is_bound else self.initial
        parent: str | None = ""
        for name in PICKER:
            self.fields[name].choices = division_choices(parent)  # type: ignore[attr-defined]
            value = source.get(self.add_prefix(name) if self.is_bound else name) or ""
            parent = value if divisions.get(value) else None
        for name, target in zip(PICKER, ("id_division_city", "id_division_district"), strict=False):
            self.fields[name].widget.attrs.update(
                {
                    "hx-get": reverse("customers:divisions"),
                    "hx-trigger": "change",
                    "hx-target": f"#{target}",
                    "hx-swap": "innerHTML",
                }
            )

    def place_fields(self) -> list[Any]:
        return [self[n] for n in ("place_abroad", *PICKER, *customer_fields.PLACE_NAMES)]

    def grid_fields(self) -> list[Any]:
        place = {"place_abroad", *PICKER, *customer_fields.PLACE_NAMES}
        return [f for f in self.visible_fields() if f.name not in place]

    def _clean_place(self, data: dict) -> None:
        """Picked: the code of the most precise level, each level inside the one above, and
        the names from the list. Abroad: the typed names, no code."""
        # A post without the lists (a script, an older page) is read as typed names.
        if data.get("place_abroad") or self.add_prefix("division_province") not in self.data:
            data["division_code"] = ""
            return
        code = ""
        for name in PICKER:
            value = data.get(name) or ""
            if not value:
                break
            division = divisions.get(value)
            if division is None or (division.parent or "") != code:
                self.add_error(name, _("Choose from the list (inside the level above)."))
                return
            code = value
        data["division_code"] = code
        data.update(
            divisions.names(code) if code else dict.fromkeys(customer_fields.PLACE_NAMES, "")
        )

    def clean(self):
        data = super().clean()
        self._clean_place(data)
        return data

    def clean_phone(self) -> str:
        return customer_fields.field("phone").clean(self.cleaned_data.get("phone"))

    def clean_email(self) -> str:
        return customer_fields.field("email").clean(self.cleaned_data.get("email"))

    def clean_birthday(self):
        return customer_fields.field("birthday").clean(self.cleaned_data.get("birthday"))

    def clean_acquired_on(self):
        return customer_fields.field("acquired_on").clean(self.cleaned_data.get("acquired_on"))

    def clean_tag_names(self) -> list[str]:
        raw = self.cleaned_data.get("tag_names", "")
        names = [t.strip() for t in raw.replace("，", ",").split(",") if t.strip()]
        for name in names:
            if len(name) > 60:
                raise forms.ValidationError(_("A tag may have at most 60 characters."))
        return names

    def clean_aliases_text(self) -> list[str]:
        raw = self.cleaned_data.get("aliases_text", "")
        return [a.strip() for a in raw.replace("，", ",").split(",") if a.strip()]

    def customer_fields(self) -> dict:
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        data["division_code"] = self.cleaned_data.get("division_code", "")
        data["aliases"] = self.cleaned_data["aliases_text"]
        return data

    def tags(self) -> list[Tag]:
        return [Tag.objects.get_or_create(name=n)[0] for n in self.cleaned_data["tag_names"]]


class InteractionForm(forms.ModelForm):
    class Meta:
        model = Interaction
        fields = [
            "channel",
            "direction",
            "department",
            "subject",
            "notes",
            "occurred_at",
            "duration_minutes",
            "outcome",
            "next_contact_on",
            "next_contact_purpose",
        ]
        widgets = {
            "next_contact_on": DATE_INPUT,
            "occurred_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        field_classes = {"duration_minutes": StrictIntegerField}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault(
            "occurred_at", timezone.localtime().replace(second=0, microsecond=0)
        )
        self.initial.setdefault("channel", "phone")
        profile = getattr(user, "profile", None)
        if profile is not None and profile.role == "service":
            self.initial.setdefault("department", "service")
        elif profile is not None and profile.role == "partner":
            self.initial.setdefault("department", "partner")
            self.initial.setdefault("channel", "partner")

    def clean_occurred_at(self):
        # Year 1 or 9999 would overflow converting to UTC when saved.
        value = validators.clean_datetime(self.cleaned_data["occurred_at"])
        if value and value > timezone.now() + timezone.timedelta(days=1):
            raise forms.ValidationError(_("An interaction cannot be logged in the future."))
        return value

    def clean_next_contact_on(self):
        value = self.cleaned_data.get("next_contact_on")
        if value is None:
            return value
        if value < timezone.localdate():
            raise forms.ValidationError(_("The next contact cannot be in the past."))
        if value > timezone.localdate() + timezone.timedelta(days=3 * 366):
            raise forms.ValidationError(_("The next contact must be within three years."))
        return value

    def clean(self):
        data = super().clean()
        if data.get("next_contact_purpose") and not data.get("next_contact_on"):
            self.add_error("next_contact_on", _("Give the date of the next contact."))
        return data


class OwnerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        from kehu.customers.ownership import owner_label

        return owner_label(obj)


class ReassignForm(forms.Form):
    """The new owner among those ``user`` may give customers to (names and teams)."""

    owner = OwnerChoiceField(label=_("New owner"), queryset=get_user_model().objects.none())
    reason = forms.CharField(label=_("Reason"), max_length=255, required=False)

    def __init__(self, *args, user=None, **kwargs):
        from kehu.customers.ownership import assignable_owners

        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = assignable_owners(user)


class RelationForm(forms.Form):
    kind = forms.ChoiceField(label=_("Relation"), choices=Relation.Kind.choices)
    other = StrictIntegerField(label=_("Other customer (ID)"), min_value=1)
    role = forms.CharField(label=_("Role"), max_length=100, required=False)
    since = forms.DateField(label=_("Since"), required=False, widget=DATE_INPUT)


class ContactPointForm(forms.Form):
    """One further phone, e-mail, WeChat ID or fax of the customer; a blank row is ignored."""

    kind = forms.ChoiceField(label=_("Kind"), choices=ContactPoint.Kind.choices, required=False)
    value = forms.CharField(label=_("Value"), max_length=200, required=False)
    label = forms.CharField(label=_("Label"), max_length=50, required=False)

    def __init__(self, *args, **kwargs):
        # Every row is read, also one the user left as it was: the set replaces the stored one.
        kwargs["empty_permitted"] = False
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        kind, value = data.get("kind"), (data.get("value") or "").strip()
        if not value:
            data["value"] = ""
            return data
        if not kind:
            self.add_error("kind", _("Choose what kind of contact this is."))
            return data
        try:
            value = customer_fields.clean_contact_value(kind, value)
        except forms.ValidationError as error:
            self.add_error("value", error)
        data["value"] = value
        return data


ContactPointFormSet = forms.formset_factory(
    ContactPointForm, extra=2, max_num=20, validate_max=True
)


def contact_formset(data=None, *, customer=None) -> Any:
    """The customer's further contacts as rows of the form (two blank rows to add). A post
    without the rows (an older client, a script) leaves the stored contacts alone: unbound."""
    if data is not None and "contacts-TOTAL_FORMS" not in data:
        data = None
    initial = (
        [{"kind": c.kind, "value": c.value, "label": c.label} for c in customer.contacts.all()]
        if customer is not None and customer.pk
        else []
    )
    return ContactPointFormSet(data, initial=initial, prefix="contacts")


def contact_points(formset) -> list[dict]:
    return [
        {k: f.cleaned_data[k] for k in ("kind", "value", "label")}
        for f in formset.forms
        if f.cleaned_data.get("value")
    ]
