"""Allocate seats by d'Hondt from a CSV of lists and votes (with optional alliances).

    python manage.py allocate_seats --seats 8 [--seed 42] votes.csv

The CSV has a header row with the columns ``list,votes`` and optionally ``alliance`` and
``candidates`` (a list's number of candidates: a seat it cannot fill passes to the next highest
quotient, first within its alliance), separated by commas or semicolons. The output is CSV ``list,seats`` in input order; a lot
drawn for equal quotients is reported on stderr with its seed.
"""

import csv
import io
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from appointments.allocation import AllocationError, allocate_with_alliances
from core.xlsx import csv_writer

OPTIONAL_COLUMNS = ("alliance", "candidates")


def _whole(raw: str, what: str, name: str, number: int) -> int:
    try:
        value = int(raw.replace(" ", ""))
    except ValueError:
        raise AllocationError(
            f"line {number}: {what} of list {name} are not a whole number: {raw!r}"
        ) from None
    if value < 0:
        raise AllocationError(f"line {number}: {what} of list {name} are negative: {value}")
    return value


def parse_votes_csv(text: str) -> tuple[dict[str, int], dict[str, str], dict[str, int]]:
    """Lists with their votes, alliances and candidates; raises AllocationError naming the bad line."""
    text = text.lstrip("\ufeff")
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines:
        raise AllocationError("the file is empty")
    delimiter = ";" if lines[0].count(";") > lines[0].count(",") else ","
    reader = csv.reader(io.StringIO("\n".join(lines)), delimiter=delimiter)
    header = [h.strip().lower() for h in next(reader)]
    extra = header[2:]
    if (
        header[:2] != ["list", "votes"]
        or any(c not in OPTIONAL_COLUMNS for c in extra)
        or len(set(extra)) < len(extra)
    ):
        raise AllocationError(
            f"line 1: the header must be list,votes[,alliance][,candidates], not {','.join(header)}"
        )
    votes: dict[str, int] = {}
    alliances: dict[str, str] = {}
    candidates: dict[str, int] = {}
    for number, row in enumerate(reader, start=2):
        if len(row) < 2 or len(row) > len(header):
            raise AllocationError(f"line {number}: expected {len(header)} columns, found {len(row)}")
        name = row[0].strip()
        if not name:
            raise AllocationError(f"line {number}: the list has no name")
        if name in votes:
            raise AllocationError(f"line {number}: list {name} appears twice")
        votes[name] = _whole(row[1].strip(), "votes", name, number)
        cells = dict(zip(extra, (cell.strip() for cell in row[2:]), strict=False))
        if cells.get("alliance"):
            alliances[name] = cells["alliance"]
        if cells.get("candidates"):
            candidates[name] = _whole(cells["candidates"], "candidates", name, number)
    if not votes:
        raise AllocationError("the file has no lists")
    return votes, alliances, candidates


class Command(BaseCommand):
    help = "Allocate N seats by d'Hondt (with electoral alliances) from a CSV list,votes[,alliance][,candidates]."

    def add_arguments(self, parser):
        parser.add_argument("file", help="CSV file with the columns list,votes[,alliance][,candidates]")
        parser.add_argument("--seats", type=int, required=True, help="number of seats (at least 1)")
        parser.add_argument("--seed", type=int, default=None, help="seed for drawing lots on equal quotients")

    def handle(self, *args, file, seats, seed, **options):
        if seats < 1:
            raise CommandError(f"--seats must be at least 1, not {seats}")
        path = Path(file)
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"cannot read {file}: {exc}") from None
        try:
            votes, alliances, candidates = parse_votes_csv(text)
            result = allocate_with_alliances(
                votes, seats, alliances, seed=seed, candidates=candidates or None
            )
        except AllocationError as exc:
            raise CommandError(f"{file}: {exc}") from None
        out = io.StringIO()
        writer = csv_writer(out, lineterminator="\n")
        writer.writerow(["list", "seats"])
        for name in votes:
            writer.writerow([name, result.seats[name]])
        self.stdout.write(out.getvalue(), ending="")
        if result.seed is not None:
            self.stderr.write(f"equal quotients were decided by lot with seed {result.seed}")
