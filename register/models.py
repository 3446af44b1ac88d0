"""Reference data everyone uses: regions, municipalities, parties, politicians, election results."""

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class Region(models.Model):
    code = models.CharField(_("code"), max_length=4, unique=True)
    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(unique=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self):
        return self.name

    @property
    def short_name(self) -> str:
        return self.name.removeprefix("Region ")


class Municipality(models.Model):
    code = models.CharField(_("municipality code"), max_length=3, unique=True)
    name = models.CharField(_("name"), max_length=100, unique=True)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="municipalities")
    population = models.PositiveIntegerField(_("population"))
    ean = models.CharField(
        _("EAN number"),
        max_length=13,
        blank=True,
        validators=[RegexValidator(r"^[0-9]{13}$", _("An EAN number has 13 digits."))],
        help_text=_("Where the municipality receives electronic invoices (OIOUBL)."),
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(code__regex=r"^[0-9]{3}$"), name="municipality_code_3_digits"
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.code})"


class Party(models.Model):
    letter = models.CharField(_("list letter"), max_length=3, unique=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["letter"]
        verbose_name = _("party")
        verbose_name_plural = _("parties")

    def __str__(self):
        return f"{self.letter} – {self.name}"


class Politician(models.Model):
    class Office(models.TextChoices):
        NONE = "", _("Council member")
        MAYOR = "mayor", _("Mayor")
        DEPUTY_1 = "deputy1", _("1st deputy mayor")
        DEPUTY_2 = "deputy2", _("2nd deputy mayor")

    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("email"), blank=True)
    birth_date = models.DateField(_("birth date"))
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="politicians")
    party = models.ForeignKey(
        Party, on_delete=models.PROTECT, null=True, blank=True, related_name="politicians"
    )
    council_from = models.DateField(_("council member from"))
    council_to = models.DateField(_("council member until"), null=True, blank=True)
    office = models.CharField(_("office"), max_length=10, choices=Office.choices, blank=True, default="")
    mayor_since = models.DateField(_("mayor since"), null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("politician")
        verbose_name_plural = _("politicians")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "office"],
                condition=~models.Q(office="") & models.Q(council_to__isnull=True),
                name="one_current_office_holder_per_municipality",
            ),
        ]

    def __str__(self):
        return self.name

    def is_council_member_on(self, day) -> bool:
        return self.council_from <= day and (self.council_to is None or day <= self.council_to)


class ElectionResult(models.Model):
    """Votes and council seats of one list in one municipality at one municipal election."""

    year = models.PositiveSmallIntegerField(_("election year"))
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="election_results")
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="election_results")
    votes = models.PositiveIntegerField(_("votes"))
    seats = models.PositiveSmallIntegerField(_("council seats"), default=0)

    class Meta:
        ordering = ["year", "municipality__code", "party__letter"]
        verbose_name = _("election result")
        verbose_name_plural = _("election results")
        constraints = [
            models.UniqueConstraint(fields=["year", "municipality", "party"], name="one_result_per_list"),
        ]

    def __str__(self):
        return f"{self.year} {self.municipality.name} {self.party.letter}: {self.votes}"


class ElectionList(models.Model):
    """One list (kandidatliste) in one municipality at one municipal election.

    A letter is unique only within one municipality and election (local lists reuse letters,
    D is Nye Borgerlige in one council and a local list in the next). ``party`` links the list to
    a national party where it is one (register.rules.national_party); ElectionResult holds the
    per-party totals the composition counts, derived from these rows.
    """

    year = models.PositiveSmallIntegerField(_("election year"))
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="election_lists")
    letter = models.CharField(_("list letter"), max_length=3)
    name = models.CharField(_("name"), max_length=200)
    party = models.ForeignKey(
        Party, on_delete=models.PROTECT, null=True, blank=True, related_name="election_lists"
    )
    alliance = models.CharField(_("electoral alliance"), max_length=100, blank=True)
    votes = models.PositiveIntegerField(_("votes"))
    seats = models.PositiveSmallIntegerField(_("council seats"), default=0)
    candidates = models.PositiveSmallIntegerField(_("candidates"), null=True, blank=True)
    source_id = models.CharField(_("valg.dk list id"), max_length=64, blank=True)

    class Meta:
        ordering = ["year", "municipality__code", "letter"]
        verbose_name = _("election list")
        verbose_name_plural = _("election lists")
        constraints = [
            models.UniqueConstraint(
                fields=["year", "municipality", "letter"], name="one_list_per_letter_and_municipality"
            ),
        ]

    def __str__(self):
        return f"{self.year} {self.municipality.name} {self.letter} {self.name}"
