"""Print the lists' votes and council seats of one municipal election as CSV.

    python manage.py election_seats_csv --year 2025

Header ``municipality_code,list,votes,seats``: one row per list per municipality.
"""

from django.core.management.base import BaseCommand

from core.xlsx import csv_writer
from register.models import ElectionList


class Command(BaseCommand):
    help = "CSV municipality_code,list,votes,seats of the lists at one municipal election."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)

    def handle(self, *args, year, **options):
        writer = csv_writer(self.stdout, lineterminator="\n")
        writer.writerow(["municipality_code", "list", "votes", "seats"])
        rows = ElectionList.objects.filter(year=year).order_by("municipality__code", "letter")
        for code, letter, votes, seats in rows.values_list("municipality__code", "letter", "votes", "seats"):
            writer.writerow([code, letter, votes, seats])
