import datetime
import sys

from django.core.management.base import BaseCommand, CommandError

from agreements.services import agreement_of_region, settlement_run
from core.errors import Refused


class Command(BaseCommand):
    help = (
        "Run a settlement of every completed course not yet settled (and corrections), and print a summary."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--as-of", type=datetime.date.fromisoformat, default=None, help="YYYY-MM-DD (default today)"
        )
        parser.add_argument(
            "--region",
            default=None,
            help="region code, e.g. 1084 (needed when several regions have an agreement)",
        )

    def handle(self, *args, as_of, region, **options):
        try:
            agreement = agreement_of_region(region)
        except LookupError as exc:
            raise CommandError(str(exc)) from exc
        try:
            run = settlement_run(agreement=agreement, as_of=as_of)
        except Refused as exc:
            self.stderr.write(" ".join(exc.messages))
            sys.exit(1)
        if run is None:
            self.stdout.write("nothing to settle")
            return
        self.stdout.write(
            f"run {run.number}: {run.course_count} courses, {run.correction_count} corrections, total {run.total:.2f}"
        )
        for statement in run.statements.select_related("municipality").order_by("municipality__code"):
            self.stdout.write(
                f"  {statement.municipality.code} {statement.municipality.name}: "
                f"{statement.line_count} lines, {statement.total:.2f}"
            )
