from django.core.management.base import BaseCommand

from agreements.outputs import settlement_csv


class Command(BaseCommand):
    help = "Print every settlement line of a year as CSV."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)

    def handle(self, *args, year, **options):
        self.stdout.write(settlement_csv(year), ending="")
