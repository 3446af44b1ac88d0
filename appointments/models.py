"""Councils (a KKR for one electoral term) and their seats with personal substitutes.

This is the minimal register the other apps need; composition rules, elections and regional
bodies build on top of it.
"""

import datetime

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from register.models import Municipality, Party, Politician, Region


class CouncilQuerySet(models.QuerySet):
    def current(self, on: datetime.date | None = None):
        on = on or datetime.date.today()
        return self.filter(term_start__lte=on).filter(Q(term_end__isnull=True) | Q(term_end__gte=on))


class Council(models.Model):
    """The KKR of one region for one electoral term."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="councils")
    term_start = models.DateField(_("took office"))
    term_end = models.DateField(_("left office"), null=True, blank=True)
    election_year = models.PositiveSmallIntegerField(_("municipal election year"))
    chair = models.ForeignKey(
        Politician, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("chair")
    )
    vice_chair = models.ForeignKey(
        Politician,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("vice-chair"),
    )

    objects = CouncilQuerySet.as_manager()

    class Meta:
        ordering = ["region__code", "-term_start"]
        verbose_name = _("council")
        verbose_name_plural = _("councils")
        constraints = [
            models.UniqueConstraint(fields=["region", "term_start"], name="one_council_per_region_and_term"),
            models.CheckConstraint(
                condition=Q(term_end__isnull=True) | Q(term_end__gt=models.F("term_start")),
                name="council_term_ends_after_start",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        end = self.term_end.year if self.term_end else self.election_year + 4
        return f"KKR {self.region.short_name} {self.term_start.year}-{end}"


class SeatQuerySet(models.QuerySet):
    def current(self, on: datetime.date | None = None):
        on = on or datetime.date.today()
        return self.filter(valid_from__lte=on).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))


class Seat(models.Model):
    """One seat of a council held by one politician for a period, with one personal substitute.

    A change of holder closes the row (valid_to) and opens a new one with the same number,
    so the rows are the full history of who held which seat when.
    """

    class Kind(models.TextChoices):
        MAYOR = "mayor", _("Mayor")
        ELECTED = "elected", _("Party-elected member")

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="seats")
    number = models.PositiveSmallIntegerField(_("seat number"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    party = models.ForeignKey(
        Party, on_delete=models.PROTECT, related_name="kkr_seats", verbose_name=_("list")
    )
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="kkr_seats", verbose_name=_("municipality")
    )
    holder = models.ForeignKey(Politician, on_delete=models.PROTECT, related_name="seats_held")
    substitute = models.ForeignKey(
        Politician, on_delete=models.PROTECT, null=True, blank=True, related_name="seats_substituted"
    )
    valid_from = models.DateField(_("from"))
    valid_to = models.DateField(_("until"), null=True, blank=True)

    objects = SeatQuerySet.as_manager()

    class Meta:
        ordering = ["council", "number", "valid_from"]
        verbose_name = _("seat")
        verbose_name_plural = _("seats")
        constraints = [
            models.UniqueConstraint(
                fields=["council", "number"], condition=Q(valid_to__isnull=True), name="one_open_row_per_seat"
            ),
            models.UniqueConstraint(
                fields=["council", "holder"],
                condition=Q(valid_to__isnull=True),
                name="holder_has_one_open_seat",
            ),
            models.UniqueConstraint(
                fields=["council", "substitute"],
                condition=Q(valid_to__isnull=True),
                name="substitute_for_at_most_one_seat",
            ),
            models.CheckConstraint(
                condition=~Q(holder=models.F("substitute")), name="holder_is_not_own_substitute"
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="seat_period_ordered",
            ),
        ]

    def __str__(self):
        return f"{self.council} #{self.number}: {self.holder}"
