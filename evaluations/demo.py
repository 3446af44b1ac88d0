"""Demo data of evaluations (seed_demo runs it; idempotent).

- the 2018-2022 survey of KKR Hovedstaden as a template (template_2018.py);
- that survey for Hovedstaden 2018-2022, closed, with 24 responses following the report's
  counts (n=24 in part 1 falling to 22 as two respondents stopped, n=21 in part 2);
- a copy for 2022-2025, sent to the audience from the register, closed, with responses, so the
  report sets the two periods side by side.

``random_responses`` is also used by the tests and the bench generator.
"""

import datetime
import random
from collections.abc import Callable, Mapping, Sequence

from django.db import transaction

from appointments.models import Council
from register.models import Region

from . import services
from .models import Answer, Invitation, Option, Question, Response, Section, Survey
from .rules import SCALES
from .template_2018 import INTRO, SECTIONS, TITLE

TITLE_2018 = "Spørgeskema om valgperioden 2018-2022"
TITLE_2022 = "Spørgeskema om valgperioden 2022-2025"


def template_build() -> Survey:
    """The template from the 2018-2022 report (created once)."""
    existing = Survey.objects.filter(is_template=True, title=TITLE, region__isnull=True).first()
    if existing:
        return existing
    with transaction.atomic():
        template = services.survey_create(title=TITLE, intro=INTRO, is_template=True)
        for spec in SECTIONS:
            section = services.section_add(
                survey=template, title=spec["title"], audience=spec["audience"], intro=spec.get("intro", "")
            )
            for q in spec["questions"]:
                _question(section, q)
    return template


def _question(section: Section, q: dict) -> None:
    if q["kind"] == "text":
        options = []
    elif q.get("scale"):
        options = services.options_for(q["scale"])
    else:
        options = services.options_for("", q["options"])
        if q.get("other"):
            options.append(services.OptionInput(q["other"], asks_text=True))
    question = services.question_add(
        section=section,
        text=q["text"],
        kind=q["kind"],
        scale=q.get("scale", ""),
        options=options,
        required=q.get("required", False),
        help_text=q.get("help_text", ""),
        key=q["key"],
    )
    if "comment" in q:
        services.question_add(
            section=section,
            text=q.get("comment_text", "Uddyb gerne, hvis du har yderligere kommentarer:"),
            kind="text",
            parent=question,
            key=f"{q['key']}-kommentar",
        )
    if "follow_up" in q:
        follow = q["follow_up"]
        services.question_add(
            section=section,
            text=follow["text"],
            kind="text",
            parent=question,
            shown_for=question.options.get(label=follow["for"]),
            key=follow["key"],
        )


# --- the 24 responses of 2018-2022 -----------------------------------------------------------------


def _responses_2018(survey: Survey, rng: random.Random) -> int:
    """24 respondents: 21 KKR members and 3 appointees; two appointees stopped during part 1
    (after 'talerør' and after 'styrke-relationer'), so n falls 24 → 23 → 22 as in the report."""
    people = [{"affiliation": "member", "stop": None} for _ in range(21)]
    people += [
        {"affiliation": "appointee", "stop": None},
        {"affiliation": "appointee", "stop": "taleroer"},
        {"affiliation": "appointee", "stop": "styrke-relationer"},
    ]
    questions = {q.key: q for q in Question.objects.filter(section__survey=survey).select_related("section")}
    options = {(o.question_id, o.label): o for o in Option.objects.filter(question__section__survey=survey)}
    chosen: dict[tuple[int, str], list[str]] = {}  # (person, key) -> labels
    texts: dict[tuple[int, str], str] = {}
    stopped: set[int] = set()
    order = [q["key"] for spec in SECTIONS for q in spec["questions"]]
    sections_of = {q["key"]: spec for spec in SECTIONS for q in spec["questions"]}
    specs = {q["key"]: q for spec in SECTIONS for q in spec["questions"]}
    # tilknytning follows the affiliation: the appointees are "KKR-udpeget".
    member_labels = ["Medlem og udpeget"] * 2 + ["Medlem af KKR som borgmester"] * 12
    member_labels += ["Medlem som kommunalbestyrelsesmedlem"] * 7
    rng.shuffle(member_labels)
    for i, person in enumerate(people):
        label = member_labels.pop() if person["affiliation"] == "member" else "KKR-udpeget"
        chosen[(i, "tilknytning")] = [label]
    for key in order[1:]:
        q = specs[key]
        eligible = [
            i
            for i, p in enumerate(people)
            if i not in stopped
            and (not sections_of[key]["audience"] or sections_of[key]["audience"] == p["affiliation"])
        ]
        if key == "udpeget-laengde":
            eligible = [
                i for i in eligible if chosen[(i, "tilknytning")][0] in {"Medlem og udpeget", "KKR-udpeget"}
            ]
        elif key == "medlem-laengde":
            eligible.sort(key=lambda i: people[i]["affiliation"] != "member")
        else:
            rng.shuffle(eligible)
        if q["kind"] == "text":
            for i, text in zip(eligible, q["texts"], strict=False):
                texts[(i, key)] = text
        elif q["kind"] == "single":
            labels = [opt for opt, c in zip(_labels(q), q["counts"], strict=True) for _ in range(c)]
            rng.shuffle(labels)
            for i, label in zip(eligible, labels, strict=False):
                chosen[(i, key)] = [label]
        else:
            _multiple(rng, eligible, key, _labels(q), q["counts"], chosen)
        answered = [i for i in eligible if (i, key) in chosen or (i, key) in texts]
        if "comment" in q:
            pool = answered[:]
            rng.shuffle(pool)
            for i, text in zip(pool, q["comment"], strict=False):
                texts[(i, f"{key}-kommentar")] = text
        if "follow_up" in q:
            yes = [i for i in answered if chosen.get((i, key)) == [q["follow_up"]["for"]]]
            for i, text in zip(yes, q["follow_up"]["texts"], strict=False):
                texts[(i, q["follow_up"]["key"])] = text
        stopped |= {i for i, p in enumerate(people) if p["stop"] == key}
    responses, answers = [], []
    for i, person in enumerate(people):
        response = Response(survey=survey, affiliation=person["affiliation"], complete=person["stop"] is None)
        responses.append(response)
        for (who, key), labels in chosen.items():
            if who == i:
                question = questions[key]
                answers += [
                    Answer(response=response, question=question, option=options[(question.pk, lb)])
                    for lb in labels
                ]
        for (who, key), text in texts.items():
            if who == i:
                answers.append(Answer(response=response, question=questions[key], text=text))
    Response.objects.bulk_create(responses)
    Answer.objects.bulk_create(answers)
    return len(responses)


def _labels(q: dict) -> list[str]:
    labels = list(SCALES[q["scale"]].labels) if q.get("scale") else list(q["options"])
    if q.get("other"):
        labels.append(q["other"])
    return labels


def _multiple(rng, eligible, key, labels, counts, chosen) -> None:
    """Each option to as many people as its count, everyone answering at least one."""
    for label, count in sorted(zip(labels, counts, strict=True), key=lambda item: -item[1]):
        uncovered = [i for i in eligible if (i, key) not in chosen]
        covered = [i for i in eligible if (i, key) in chosen]
        rng.shuffle(uncovered)
        rng.shuffle(covered)
        for i in (uncovered + covered)[:count]:
            chosen.setdefault((i, key), []).append(label)


# --- random responses (the 2022-2025 demo, tests and bench) ---------------------------------------

TEXTS = [
    "Godt med flere temadrøftelser",
    "Møderne er blevet bedre forberedt",
    "Infrastruktur og trafik fylder meget – det er godt",
    "Mere tid til debat, færre orienteringer",
    "Det specialiserede socialområde bør have mere plads",
    "Fint samarbejde på tværs af partier",
    "Bilagene kommer for sent",
    "KKR bør være mere synlig over for byrådene",
]


def random_responses(
    survey: Survey,
    affiliations: Sequence[str],
    rng: random.Random,
    *,
    text_share: float = 0.25,
    partial_share: float = 0.05,
    skip_share: float = 0.1,
    choose: Mapping[str, Callable[[str, random.Random], str | None]] | None = None,
) -> list[Response]:
    """Responses with plausible answers (scales lean positive), in bulk: each respondent answers
    the sections meant for them, follow-ups only where shown, skips some optional questions; a
    few stop half-way. ``choose`` fixes the answer to a question (by key) from the respondent's
    affiliation: a label, or None to leave it unanswered."""
    choose = choose or {}
    questions = list(
        Question.objects.filter(section__survey=survey)
        .select_related("section")
        .order_by("section__position", "position")
    )
    options: dict[int, list[Option]] = {}
    for option in Option.objects.filter(question__section__survey=survey).order_by("question_id", "position"):
        options.setdefault(option.question_id, []).append(option)
    responses, answers = [], []
    for affiliation in affiliations:
        partial = rng.random() < partial_share
        stop_at = rng.randrange(len(questions)) if partial and questions else len(questions)
        response = Response(survey=survey, affiliation=affiliation, complete=not partial)
        responses.append(response)
        picked: dict[int, list[int]] = {}
        for index, q in enumerate(questions):
            if index >= stop_at:
                break
            if q.section.audience and q.section.audience != affiliation:
                continue
            if q.shown_for_id and q.shown_for_id not in picked.get(q.parent_id, []):
                continue
            if q.kind == "text":
                if rng.random() < text_share:
                    answers.append(Answer(response=response, question=q, text=rng.choice(TEXTS)))
                continue
            choices = options.get(q.pk, [])
            if not choices or (not q.required and rng.random() < skip_share):
                continue
            if q.key in choose:
                label = choose[q.key](affiliation, rng)
                selected = [o for o in choices if o.label == label]
                if not selected:
                    continue
            elif q.kind == "single":
                weights = [
                    max(0.3, 4 - abs(i - 1) * 1.4) if not o.dont_know else 0.4 for i, o in enumerate(choices)
                ]
                selected = rng.choices(choices, weights=weights)
            else:
                selected = [o for o in choices if not o.dont_know and rng.random() < 0.45] or [choices[0]]
            picked[q.pk] = [o.pk for o in selected]
            answers += [
                Answer(response=response, question=q, option=o, text=rng.choice(TEXTS) if o.asks_text else "")
                for o in selected
            ]
    Response.objects.bulk_create(responses, batch_size=1000)
    Answer.objects.bulk_create(answers, batch_size=5000)
    return responses


SUBSTITUTE_OPTION = "Stedfortræder for et KKR-medlem"
CLOSED_EARLY_2022 = datetime.date(2025, 10, 3)
CHOOSE = {
    "tilknytning": lambda affiliation, rng: {
        "member": rng.choice(
            ["Medlem af KKR som borgmester"] * 3 + ["Medlem som kommunalbestyrelsesmedlem"] * 2
        ),
        "substitute": SUBSTITUTE_OPTION,
        "appointee": "KKR-udpeget",
    }.get(affiliation),
    "medlem-laengde": lambda affiliation, rng: (
        rng.choice(["Hele valgperioden"] * 4 + ["Noget af valgperioden"]) if affiliation == "member" else None
    ),
    "udpeget-laengde": lambda affiliation, rng: (
        rng.choice(["Hele valgperioden", "Noget af valgperioden"]) if affiliation == "appointee" else None
    ),
}


# --- seed ---------------------------------------------------------------------------------------


def seed() -> list[str]:
    region = Region.objects.get(code="1084")
    template = template_build()
    lines = [
        f"Template '{template.title}': {Question.objects.filter(section__survey=template).count()} questions"
    ]
    rng = random.Random("kkr-evaluering")

    if not Survey.objects.filter(region=region, title=TITLE_2018).exists():
        with transaction.atomic():
            survey = services.survey_copy_from_template(
                template=template, region=region, period_start=2018, period_end=2022, title=TITLE_2018
            )
            Survey.objects.filter(pk=survey.pk).update(
                opens_on=datetime.date(2022, 1, 10),
                closes_on=datetime.date(2022, 1, 31),
                opened=True,
                closed=True,
            )
            count = _responses_2018(survey, rng)
        lines.append(f"{TITLE_2018}: {count} responses")

    council = Council.objects.filter(region=region, term_start__year=2022).first()
    if council is not None and not Survey.objects.filter(region=region, title=TITLE_2022).exists():
        with transaction.atomic():
            survey = services.survey_copy_from_template(
                template=template, council=council, period_start=2022, period_end=2025, title=TITLE_2022
            )
            # Closed early: the secretariat used "Close now" a week before the planned closing date.
            opens, closes = datetime.date(2025, 9, 15), datetime.date(2025, 10, 10)
            services.invitations_create(
                survey=survey, today=opens, affiliations=["member", "substitute", "appointee"]
            )
            Survey.objects.filter(pk=survey.pk).update(
                opens_on=opens,
                closes_on=closes,
                opened=True,
                closed=True,
                closed_early_on=CLOSED_EARLY_2022,
            )
            invitations = list(Invitation.objects.filter(survey=survey).order_by("pk"))
            rng.shuffle(invitations)
            share = {"member": 0.75, "substitute": 0.4, "appointee": 0.6}
            completed = [i for i in invitations if rng.random() < share[i.affiliation]]
            Invitation.objects.filter(survey=survey).update(sent=True)
            Invitation.objects.filter(pk__in=[i.pk for i in completed]).update(completed=True)
            made = random_responses(
                survey, [i.affiliation for i in completed], rng, partial_share=0, choose=CHOOSE
            )
        lines.append(f"{TITLE_2022}: {len(invitations)} invited, {len(made)} responses")
    return lines
