"""Load published per-list figures (votes, alliance, seats) of every council from a CSV.

    python manage.py load_election_lists --year 2025 register/fixtures/kv25_lists.csv

The columns are municipality_code,municipality,list,name,votes,alliance,seats (kv25_lists.csv:
all 98 councils of 2025). All or nothing; loading again changes nothing.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from appointments.services.results import results_store
from appointments.valgdata import ImportProblem, read_lists_csv
from core.errors import Refused


class Command(BaseCommand):
    help = "Load per-list election figures of all councils from a CSV (kv25_lists.csv)."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--year", type=int, required=True)

    def handle(self, *args, file, year, **options):
        path = Path(file)
        try:
            stored = results_store(read_lists_csv(path.read_text(encoding="utf-8"), year, path.name))
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"cannot read {file}: {exc}") from None
        except ImportProblem as exc:
            raise CommandError(str(exc)) from None
        except Refused as exc:
            raise CommandError("; ".join(exc.messages)) from None
        changed = sum(s.changed for s in stored)
        self.stdout.write(f"{len(stored)} councils read, {changed} stored, {len(stored) - changed} unchanged")
