"""The knowledge base (E8, E4): articles in Chinese and English, sorted into categories,
internal (staff only) or public (the customer portal and anonymous readers), drafted and
then published; an article may come from a resolved ticket (the lesson it taught). Writes
go through ``kehu.knowledge.services``."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kehu.core.audit import Audited
from kehu.core.models import TimeStamped


def _chinese(lang: str) -> bool:
    return (lang or "").lower().startswith("zh")


class Category(Audited):
    """A managed list (administration), so the filter and the portal show the same few
    categories instead of whatever each author typed."""

    name_zh = models.CharField(_("name (Chinese)"), max_length=100, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("article category")
        verbose_name_plural = _("article categories")

    def __str__(self) -> str:
        return self.name_zh or self.name_en

    def audit_customer_id(self) -> int | None:
        return None

    def label(self, lang: str) -> str:
        first, second = (self.name_zh, self.name_en) if _chinese(lang) else (
            self.name_en, self.name_zh)  # fmt: skip
        return first or second


class Article(Audited, TimeStamped):
    class Visibility(models.TextChoices):
        INTERNAL = "internal", _("Internal (staff only)")
        PUBLIC = "public", _("Public (customers and visitors)")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    title_zh = models.CharField(_("title (Chinese)"), max_length=200, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    body_zh = models.TextField(_("text (Chinese)"), blank=True)
    body_en = models.TextField(_("text (English)"), blank=True)
    category = models.ForeignKey(
        Category,
        verbose_name=_("category"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="articles",
    )
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=Visibility.choices, default=Visibility.INTERNAL
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    source_ticket = models.ForeignKey(
        "service.Ticket",
        verbose_name=_("from ticket"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="articles",
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    class Meta:
        ordering = ["-updated_at", "-id"]
        verbose_name = _("article")
        indexes = [models.Index(fields=["status", "visibility", "-updated_at"])]

    def __str__(self) -> str:
        return self.title_zh or self.title_en

    def audit_customer_id(self) -> int | None:
        return None

    def get_absolute_url(self) -> str:
        return reverse("knowledge:detail", args=[self.pk])

    def title(self, lang: str) -> str:
        """The title in ``lang``, else the other language's."""
        first, second = (self.title_zh, self.title_en) if _chinese(lang) else (
            self.title_en, self.title_zh)  # fmt: skip
        return first or second

    def body(self, lang: str) -> str:
        """The text in the language the title is shown in (so they never mix)."""
        if _chinese(lang):
            return self.body_zh if self.title_zh or not self.title_en else self.body_en
        return self.body_en if self.title_en or not self.title_zh else self.body_zh

    def has_language(self, lang: str) -> bool:
        return bool(self.title_zh if _chinese(lang) else self.title_en)

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def is_public(self) -> bool:
        return self.visibility == self.Visibility.PUBLIC
