from django.core.management.base import BaseCommand, CommandError

from agreements.documents import settlement_csv
from agreements.services import agreement_of_region


class Command(BaseCommand):
    help = "Print every settlement line of a year of one region's IV agreement as CSV."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument(
            "--region",
            default=None,
            help="region code, e.g. 1084 (needed when several regions have an agreement)",
        )

    def handle(self, *args, year, region, **options):
        try:
            agreement = agreement_of_region(region)
        except LookupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(settlement_csv(year, agreement), ending="")
