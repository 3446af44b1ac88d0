"""The year's tariff table: the 2020 base times the year's price index (agreements/tariffs.py)."""

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from core.errors import refuse

from .. import tariffs
from ..models import (
    TariffRate,
    TariffTable,
)


def tariff_year_create(*, year: int, index: Decimal) -> TariffTable:
    """The year's table: the 2020 base times the index, rounded half up to whole kroner."""
    index = Decimal(index)
    if index <= 0:
        refuse(_("The price index must be above zero."), field="index")
    with transaction.atomic():
        if TariffTable.objects.filter(year=year).exists():
            refuse(_("There is already a tariff table for %(year)s.") % {"year": year}, field="year")
        table = TariffTable.objects.create(year=year, index=index)
        TariffRate.objects.bulk_create(
            TariffRate(table=table, treatment=t, step=s, course_tariff=r.course, day_tariff=r.day)
            for t, steps in tariffs.indexed_table(index).items()
            for s, r in steps.items()
        )
    return table


def tariff_rates() -> dict[tuple[int, str, int], tariffs.Rate]:
    """{(year, treatment, step): Rate} for every year with a table."""
    return {
        (year, treatment, step): tariffs.Rate(course, day)
        for year, treatment, step, course, day in TariffRate.objects.values_list(
            "table__year", "treatment", "step", "course_tariff", "day_tariff"
        )
    }
