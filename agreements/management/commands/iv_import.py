import sys
from pathlib import Path

from django.core.management.base import BaseCommand

from agreements.importing import courses_import, row_errors
from core.errors import Refused


class Command(BaseCommand):
    help = (
        "Import IV courses from a CSV or XLSX file, all or nothing. Exit 0 on success; on any error "
        "exit 1, print each error with its row number (the header is row 1) and store nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **options):
        path = Path(file)
        if not path.is_file():
            self.stderr.write(f"row 1, -: no such file: {file}")
            sys.exit(1)
        try:
            result = courses_import(name=path.name, data=path.read_bytes())
        except Refused as exc:
            errors = row_errors(exc)
            for error in errors:
                self.stderr.write(f"row {error.row}, {error.column}: {error.message}")
            self.stderr.write(f"{len(errors)} error(s); nothing was stored.")
            sys.exit(1)
        self.stdout.write(
            f"imported {len(result.courses)} courses: {len(result.created)} created, "
            f"{len(result.updated)} updated, {len(result.unchanged)} unchanged"
        )
