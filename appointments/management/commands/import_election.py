"""Import the official municipal election results in valg.dk's open-data format.

    python manage.py import_election DIR

Every council whose mandatfordeling file is in DIR (any subset of municipalities) is imported;
all or nothing; importing again changes nothing. A malformed or inconsistent file stops the
import with the file's name and what is wrong, and nothing is stored.
"""

from django.core.management.base import BaseCommand, CommandError

from appointments.services.results import election_import
from core.errors import Refused


class Command(BaseCommand):
    help = "Import municipal election results (valg.dk JSON: kandidat-data, mandatfordeling, valgresultater)."

    def add_arguments(self, parser):
        parser.add_argument("directory", help="directory holding the valg.dk JSON files")

    def handle(self, *args, directory, **options):
        try:
            stored = election_import(directory)
        except Refused as exc:
            raise CommandError("; ".join(exc.messages)) from None
        for s in stored:
            self.stdout.write(s.line() + "; the allocation engine reproduces the published seats")
        changed = sum(s.changed for s in stored)
        self.stdout.write(f"{len(stored)} councils read, {changed} stored, {len(stored) - changed} unchanged")
