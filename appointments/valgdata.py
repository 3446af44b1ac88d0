"""Reading the official municipal election results in valg.dk's open-data format (no ORM).

A directory (any layout, any subset of municipalities) holds JSON files of three kinds, told
apart by their content, never by their names:

- ``mandatfordeling``: one per council, the published seat allocation and the polling-area
  counts it is based on (``BaseretPåOptællinger``) — a council is imported when this is found;
- ``kandidat-data``: one per municipality, its lists, candidates and electoral alliances;
- ``valgresultater``: one per polling area and count; only the counts the allocation names
  (same area, same approval time) are used, every other version is ignored.

A list's votes are its ``Stemmer`` (list votes plus personal votes) over the chosen counts. The
reader checks itself: the allocation engine (allocation.py, with the candidate rule) must give
the published seats from these votes and alliances, else it names the council that differs.
Every problem is an ``ImportProblem`` naming the file and what is wrong.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from register.rules import alliance_label

from .allocation import AllocationError, allocate_with_alliances


class ImportProblem(ValueError):
    def __init__(self, file: str, message: str):
        self.file, self.message = file, message
        super().__init__(f"{file}: {message}")


@dataclass(frozen=True)
class ListFigures:
    letter: str
    name: str
    votes: int
    seats: int
    alliance: str = ""
    candidates: int | None = None
    source_id: str = ""


@dataclass(frozen=True)
class CouncilResult:
    code: str  # three digits
    name: str
    year: int
    lists: tuple[ListFigures, ...]
    counts: int = 0  # polling-area counts the allocation is based on
    released: str = ""  # when the allocation was released (UTC, as published)
    source: str = ""  # the file it came from

    @property
    def seats(self) -> int:
        return sum(f.seats for f in self.lists)

    @property
    def votes(self) -> int:
        return sum(f.votes for f in self.lists)

    def engine_seats(self) -> dict[str, int]:
        """The seats the portal's allocation engine gives these votes, alliances and candidates."""
        votes = {f.letter: f.votes for f in self.lists}
        alliances = {f.letter: f.alliance for f in self.lists if f.alliance}
        candidates = {f.letter: f.candidates for f in self.lists if f.candidates is not None}
        return allocate_with_alliances(votes, self.seats, alliances, candidates=candidates, seed=0).seats

    def differences(self) -> list[str]:
        """``X: published 5, engine 4`` for each list the engine disagrees on (empty: it agrees)."""
        engine = self.engine_seats()
        return [
            f"{f.letter}: published {f.seats}, engine {engine[f.letter]}"
            for f in self.lists
            if engine[f.letter] != f.seats
        ]


def _load(path: Path, root: Path) -> tuple[str, dict]:
    name = str(path.relative_to(root))
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise ImportProblem(name, "not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise ImportProblem(
            name, f"not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        ) from None
    if not isinstance(data, dict):
        raise ImportProblem(name, "expected one JSON object")
    return name, data


def _field(name: str, data: dict, key: str, kind: type | tuple = (str, int)):
    if key not in data:
        raise ImportProblem(name, f"the field {key} is missing")
    value = data[key]
    if isinstance(value, bool) or not isinstance(value, kind):
        raise ImportProblem(name, f"the field {key} has the wrong type ({type(value).__name__})")
    return value


def _kind(name: str, data: dict) -> str:
    if "ListeMandater" in data:
        return "mandatfordeling"
    if "Valgforbund" in data:
        return "kandidat-data"
    if "AfstemningsområdeDagiId" in data:
        return "valgresultater"
    raise ImportProblem(name, "neither a mandatfordeling, a kandidat-data nor a valgresultater file")


def read_dir(directory: Path) -> list[CouncilResult]:
    """Every council whose mandatfordeling is in ``directory``; raises ImportProblem."""
    directory = Path(directory)
    if not directory.is_dir():
        raise ImportProblem(str(directory), "not a directory")
    files: dict[str, list[tuple[str, dict]]] = {
        "mandatfordeling": [],
        "kandidat-data": [],
        "valgresultater": [],
    }
    for path in sorted(directory.rglob("*.json")):
        name, data = _load(path, directory)
        files[_kind(name, data)].append((name, data))
    if not files["mandatfordeling"]:
        raise ImportProblem(str(directory), "no mandatfordeling file: no council to import")
    candidates_by_municipality: dict[str, tuple[str, dict]] = {}
    for name, data in files["kandidat-data"]:
        municipality = _field(name, data, "Kommune", str)
        if municipality in candidates_by_municipality:
            raise ImportProblem(name, f"a second kandidat-data file for {municipality}")
        candidates_by_municipality[municipality] = (name, data)
    counts: dict[tuple[int, int, str], tuple[str, dict]] = {}
    for name, data in files["valgresultater"]:
        key = (
            _field(name, data, "Kommunekode", int),
            _field(name, data, "AfstemningsområdeDagiId", int),
            _field(name, data, "GodkendelsesDatoUTC", str),
        )
        if key in counts and counts[key][1] != data:
            raise ImportProblem(name, f"differs from {counts[key][0]}, the same count of the same area")
        counts.setdefault(key, (name, data))
    councils = [
        _council(name, data, candidates_by_municipality, counts) for name, data in files["mandatfordeling"]
    ]
    codes = Counter(c.code for c in councils)
    for council in councils:
        if codes[council.code] > 1:
            raise ImportProblem(council.source, f"a second mandatfordeling for municipality {council.code}")
    return sorted(councils, key=lambda c: c.code)


def _council(name: str, data: dict, candidate_files: dict, counts: dict) -> CouncilResult:
    code = _field(name, data, "Kommunekode", int)
    municipality = _field(name, data, "Kommune", str)
    try:
        year = datetime.datetime.strptime(_field(name, data, "Valgdag", str), "%d-%m-%Y").year
    except ValueError:
        raise ImportProblem(name, f"Valgdag is not a date dd-mm-yyyy: {data['Valgdag']!r}") from None
    if municipality not in candidate_files:
        raise ImportProblem(name, f"no kandidat-data file for {municipality}")
    cname, cdata = candidate_files[municipality]
    lists: dict[str, dict] = {}
    for entry in _field(cname, cdata, "Kandidatlister", list):
        list_id = _field(cname, entry, "KandidatlisteId", str)
        lists[list_id] = {
            "letter": _field(cname, entry, "Bogstavbetegnelse", str).strip(),
            "name": _field(cname, entry, "Navn", str).strip(),
            "ballot": _field(cname, entry, "Stemmeseddelsplacering", int),
            "candidates": len(_field(cname, entry, "Kandidater", list)),
            "votes": 0,
            "seats": 0,
        }
    letters = Counter(v["letter"] for v in lists.values())
    for letter, n in letters.items():
        if not letter or n > 1:
            raise ImportProblem(cname, f"the letter {letter!r} names {n} lists")
    alliance_of: dict[str, str] = {}
    for entry in _field(cname, cdata, "Valgforbund", list):
        members = _field(cname, entry, "KandidatlisteId", list)
        for list_id in members:
            if list_id not in lists:
                raise ImportProblem(cname, f"alliance {entry.get('Navn')!r} names an unknown list {list_id}")
            if list_id in alliance_of:
                raise ImportProblem(cname, f"list {lists[list_id]['letter']} is in two alliances")
        ordered = sorted(members, key=lambda i: lists[i]["ballot"])
        for list_id in members:
            alliance_of[list_id] = alliance_label([lists[i]["letter"] for i in ordered])
    based_on = _field(name, data, "BaseretPåOptællinger", list)
    if not based_on:
        raise ImportProblem(name, "BaseretPåOptællinger names no count")
    for entry in based_on:
        area = _field(name, entry, "AfstemningsområdeDagiId", int)
        approved = _field(name, entry, "GodkendelsesDatoUTC", str)
        if (code, area, approved) not in counts:
            raise ImportProblem(
                name, f"the count of polling area {area} approved {approved} is not in the directory"
            )
        vname, vdata = counts[(code, area, approved)]
        valid = _field(vname, vdata, "GyldigeStemmer", int)
        total = 0
        for entry_list in _field(vname, vdata, "Kandidatlister", list):
            list_id = _field(vname, entry_list, "KandidatlisteId", str)
            votes = _field(vname, entry_list, "Stemmer", int)
            if list_id not in lists:
                raise ImportProblem(vname, f"list {entry_list.get('Bogstavbetegnelse')!r} is not in {cname}")
            if votes < 0:
                raise ImportProblem(vname, f"list {lists[list_id]['letter']} has negative votes")
            lists[list_id]["votes"] += votes
            total += votes
        if total != valid:
            raise ImportProblem(vname, f"the lists' votes add up to {total}, not the {valid} valid votes")
    numbers = []
    for entry in _field(name, data, "ListeMandater", list):
        list_id = _field(name, entry, "KandidatlisteId", str)
        if list_id not in lists:
            raise ImportProblem(name, f"seat {entry.get('Nummer')} goes to list {list_id}, not in {cname}")
        lists[list_id]["seats"] += 1
        numbers.append(_field(name, entry, "Nummer", int))
    if sorted(numbers) != list(range(1, len(numbers) + 1)):
        raise ImportProblem(name, "the seats are not numbered 1 to N")
    for figures in lists.values():
        if figures["seats"] > figures["candidates"]:
            raise ImportProblem(name, f"list {figures['letter']} has more seats than candidates")
    council = CouncilResult(
        code=f"{code:03d}",
        name=municipality,
        year=year,
        lists=tuple(
            ListFigures(
                letter=f["letter"],
                name=f["name"],
                votes=f["votes"],
                seats=f["seats"],
                alliance=alliance_of.get(list_id, ""),
                candidates=f["candidates"],
                source_id=list_id,
            )
            for list_id, f in sorted(lists.items(), key=lambda item: item[1]["ballot"])
        ),
        counts=len(based_on),
        released=str(data.get("FrigivelsesTidspunktUTC", "")),
        source=name,
    )
    try:
        differences = council.differences()
    except AllocationError as exc:
        raise ImportProblem(
            name, f"{municipality} ({council.code}): the allocation engine refuses: {exc}"
        ) from None
    if differences:
        raise ImportProblem(
            name,
            f"{municipality} ({council.code}): the allocation engine does not reproduce the published seats "
            f"({'; '.join(differences)})",
        )
    return council


LISTS_CSV_HEADER = ["municipality_code", "municipality", "list", "name", "votes", "alliance", "seats"]


def read_lists_csv(text: str, year: int, source: str = "lists.csv") -> list[CouncilResult]:
    """The per-list figures of kv25_lists.csv (one row per list per council); raises ImportProblem.

    These are published figures without candidate counts, stored as they are (no engine check:
    Lolland's seats need the candidate rule, and the file has no candidates).
    """
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    header = next(reader, [])
    if header != LISTS_CSV_HEADER:
        raise ImportProblem(source, f"line 1: the header must be {','.join(LISTS_CSV_HEADER)}")
    councils: dict[str, tuple[str, list[ListFigures]]] = {}
    for number, row in enumerate(reader, start=2):
        if len(row) != len(header):
            raise ImportProblem(source, f"line {number}: expected {len(header)} columns, found {len(row)}")
        code, municipality, letter, name, votes, alliance, seats = (v.strip() for v in row)
        try:
            figures = ListFigures(letter, name, int(votes), int(seats), alliance)
        except ValueError:
            raise ImportProblem(source, f"line {number}: votes and seats must be whole numbers") from None
        if not letter or figures.votes < 0 or figures.seats < 0:
            raise ImportProblem(source, f"line {number}: a list needs a letter and votes and seats ≥ 0")
        entry = councils.setdefault(code, (municipality, []))
        if any(f.letter == letter for f in entry[1]):
            raise ImportProblem(source, f"line {number}: list {letter} appears twice in {municipality}")
        entry[1].append(figures)
    return [
        CouncilResult(code=code, name=municipality, year=year, lists=tuple(lists), source=source)
        for code, (municipality, lists) in sorted(councils.items())
    ]
