from decimal import Decimal, InvalidOperation

from django.core.management.base import BaseCommand, CommandError

from agreements.services import tariff_year_create


class Command(BaseCommand):
    help = "Create a year's tariff table: the 2020 base times the index, rounded half up to whole kroner."

    def add_arguments(self, parser):
        parser.add_argument("year", type=int)
        parser.add_argument(
            "--index", required=True, help="the year's price index relative to 2020, e.g. 1.0810"
        )

    def handle(self, *args, year, index, **options):
        try:
            table = tariff_year_create(year=year, index=Decimal(index))
        except (InvalidOperation, ValueError) as exc:
            raise CommandError(str(exc) or f"not a number: {index}") from exc
        for rate in table.rates.order_by("treatment", "step"):
            self.stdout.write(
                f"{table.year} {rate.treatment} step {rate.step}: {rate.course_tariff} + {rate.day_tariff}/day"
            )
