"""The docs/rules.md §6 rules of evaluation surveys as pure functions: ready-made scales, link tokens and
draft keys, which sections a respondent sees, what a valid answer is, and the report's statistics
(n, counts, averages without "Ved ikke", suppression of small groups).

No ORM and no I/O here: the services and views feed plain values in.
"""

import hashlib
import hmac
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext_noop

DONT_KNOW = "Ved ikke"
OTHER = "Andet - uddyb"
MIN_GROUP = 5  # docs/rules.md §6: no breakdown for a group of fewer than 5 respondents


@dataclass(frozen=True)
class ScaleSpec:
    labels: tuple[str, ...]  # best first; DONT_KNOW last
    scored: bool  # an ordinal scale has an average; "For mange/Passende/For få" has none


SCALES: dict[str, ScaleSpec] = {
    "degree": ScaleSpec(
        ("I meget høj grad", "I høj grad", "I nogen grad", "I mindre grad", "Slet ikke", DONT_KNOW), True
    ),
    "quality": ScaleSpec(
        ("Meget godt", "Godt", "Hverken godt eller dårligt", "Dårligt", "Meget dårligt", DONT_KNOW), True
    ),
    "amount": ScaleSpec(("For mange", "Passende", "For få", DONT_KNOW), False),
}


def scale_options(scale: str) -> list[tuple[str, bool]]:
    """The options of a ready-made scale as (label, is "Ved ikke")."""
    return [(label, label == DONT_KNOW) for label in SCALES[scale].labels]


# --- links ------------------------------------------------------------------------------------


def link_token(key: str, nonce: str) -> str:
    """The secret in a respondent's personal link (HMAC of the invitation's nonce)."""
    return hmac.new(key.encode(), f"link:{nonce}".encode(), hashlib.sha256).hexdigest()


def token_hash(token: str) -> str:
    """What the invitation stores to find itself from a link."""
    return hashlib.sha256(f"invitation:{token}".encode()).hexdigest()


def draft_key(token: str) -> str:
    """The key of a half-way draft: derived from the link only, and different from token_hash, so
    the stored invitation and the stored draft share nothing."""
    return hashlib.sha256(f"draft:{token}".encode()).hexdigest()


# --- dates ------------------------------------------------------------------------------------


CLOSES_BEFORE_OPENING = gettext_noop("The survey must close on or after the day it opens.")
CLOSES_IN_THE_PAST = gettext_noop(
    "The closing date cannot be in the past; to stop the answers now, use “Close now”."
)
REMINDER_OUTSIDE = gettext_noop("Reminders must fall after the opening and by the closing date.")


def date_errors(opens_on: date, closes_on: date, reminders: Iterable[date], today: date) -> dict[str, str]:
    """What is wrong with a survey's dates, per form field (msgids; empty when they may be saved).

    The closing date is the last day answers are taken: it may be today (answers are taken
    until midnight, and the survey is closed the next morning), never before today or before the
    opening day. To stop the answers at once there is "Close now" (``close_now_error``).
    Reminders fall after the opening day and by the closing date.
    """
    errors: dict[str, str] = {}
    if closes_on < opens_on:
        errors["closes_on"] = CLOSES_BEFORE_OPENING
    elif closes_on < today:
        errors["closes_on"] = CLOSES_IN_THE_PAST
    if any(not opens_on < d <= closes_on for d in reminders):
        errors["reminders"] = REMINDER_OUTSIDE
    return errors


NOT_RUNNING = gettext_noop("Only a survey that has opened and not closed can be closed.")
NOT_STARTED = gettext_noop(
    "The survey opens on its opening day; until then change its dates instead of closing it."
)


def close_now_error(*, opened: bool, closed: bool, opens_on: date | None, today: date) -> str:
    """Why a survey cannot be closed now (msgid, "" when it can): it must have opened (been
    frozen and sent), not be closed already, and its opening day must have come."""
    if not opened or closed:
        return NOT_RUNNING
    if opens_on is None or today < opens_on:
        return NOT_STARTED
    return ""


# --- links ----------------------------------------------------------------------------------


LINK_NOT_SENT = "not_sent"  # the survey has not opened: nothing queued
LINK_QUEUED = "queued"  # waiting in the outbox (before the opening day, or not yet picked up)
LINK_SENT = "sent"
LINK_FAILED = "failed"


def link_state(invitation_sent: bool, notice_status: str | None) -> str:
    """Where an invitee's link is, from the invitation's "queued" mark and its notice's status in
    the outbox (accounts.Notice): the truth, not "sent" for a mail still waiting. A missing
    notice of a queued invitation was sent and pruned from the outbox later."""
    if not invitation_sent:
        return LINK_NOT_SENT
    if notice_status in ("pending", "sending"):
        return LINK_QUEUED
    if notice_status == "failed":
        return LINK_FAILED
    return LINK_SENT


# --- who sees what ------------------------------------------------------------------------------


AFFILIATION_PRECEDENCE = ("member", "substitute", "appointee", "council_member")


def strongest_affiliation(affiliations: Iterable[str]) -> str:
    """One affiliation per person: a member who is also an appointee answers as a member."""
    found = set(affiliations)
    for affiliation in AFFILIATION_PRECEDENCE:
        if affiliation in found:
            return affiliation
    raise ValueError("no affiliation")


def section_visible(audience: str, affiliation: str) -> bool:
    return not audience or audience == affiliation


@dataclass(frozen=True)
class QuestionSpec:
    """What validation needs to know of a question."""

    id: int
    kind: str  # single, multiple, text
    required: bool
    options: frozenset[int] = frozenset()
    text_option: int | None = None  # the "Andet - uddyb" option, whose text is asked for
    parent: int | None = None
    shown_for: int | None = None  # shown only when this option of the parent is chosen


@dataclass
class Given:
    """One question's answer as the respondent gave it: option ids and/or text."""

    options: list[int] = field(default_factory=list)
    text: str = ""

    @property
    def empty(self) -> bool:
        return not self.options and not self.text.strip()


def shown(spec: QuestionSpec, answers: Mapping[int, Given]) -> bool:
    """A follow-up question is shown only when its answer was chosen in the parent question."""
    if spec.shown_for is None:
        return True
    parent = answers.get(spec.parent)
    return parent is not None and spec.shown_for in parent.options


def clean_answers(specs: Sequence[QuestionSpec], answers: Mapping[int, Given]) -> dict[int, Given]:
    """Keep only answers to shown questions, with known options; drop text an option does not ask for."""
    cleaned: dict[int, Given] = {}
    for spec in specs:
        given = answers.get(spec.id)
        # Judged on the cleaned answers so far (a parent comes before its follow-ups).
        if given is None or not shown(spec, cleaned):
            continue
        if spec.kind == "text":
            result = Given(text=given.text.strip())
        else:
            options = [o for o in dict.fromkeys(given.options) if o in spec.options]
            if spec.kind == "single":
                options = options[:1]
            text = given.text.strip() if spec.text_option in options else ""
            result = Given(options=options, text=text)
        if not result.empty:
            cleaned[spec.id] = result
    return cleaned


def merge_page(
    saved: Mapping[int, Given], page_answers: Mapping[int, Given], page: Iterable[int]
) -> dict[int, Given]:
    """A draft after one page of a section-per-page survey: the page's questions take what the
    page sent (an answer taken away is gone), every other question keeps what was saved."""
    on_page = set(page)
    merged = {qid: given for qid, given in saved.items() if qid not in on_page}
    merged.update({qid: given for qid, given in page_answers.items() if qid in on_page})
    return merged


def answer_errors(specs: Sequence[QuestionSpec], answers: Mapping[int, Given]) -> dict[int, str]:
    """What is wrong with a submission, per question id (empty when it may be submitted).

    Run on the raw answers; the messages are msgids the view translates.
    """
    errors: dict[int, str] = {}
    for spec in specs:
        given = answers.get(spec.id) or Given()
        if not shown(spec, answers):
            continue
        if spec.kind == "single" and len(set(given.options)) > 1:
            errors[spec.id] = gettext_noop("Choose only one answer.")
        elif spec.kind != "text" and any(o not in spec.options for o in given.options):
            errors[spec.id] = gettext_noop("Choose one of the answers shown.")
        elif spec.required and given.empty:
            errors[spec.id] = gettext_noop("This question must be answered.")
        elif spec.text_option is not None and spec.text_option in given.options and not given.text.strip():
            errors[spec.id] = gettext_noop("Please describe your answer 'Other'.")
    return errors


def moved(order: Sequence[tuple[int, int | None]], moving: int, up: bool) -> list[int]:
    """A section's question ids in their new order after moving one question up or down.

    ``order`` is (id, parent id) in the section's order. A question moves with its follow-ups,
    past the neighbouring question and all of its follow-ups; a follow-up moves only among the
    follow-ups of its own question. So a follow-up always stays right after its question, where
    the respondent's page and ``clean_answers`` expect it (and one found elsewhere is put back
    there). At either end nothing moves. Follow-ups are one level deep (only a question that is
    not itself a follow-up can have them).
    """
    ids = {qid for qid, _p in order}
    blocks: list[list[int]] = []
    block_of: dict[int, list[int]] = {}
    for qid, parent in order:
        if parent is None or parent not in ids:
            blocks.append([qid])
            block_of[qid] = blocks[-1]
    for qid, parent in order:
        if parent is not None and parent in ids:
            # follow-ups go right after their question, in their order
            block = block_of.get(parent)
            if block is None:  # (deeper follow-ups are not made by the builder)
                blocks.append(block := [])
            block.append(qid)
            block_of[qid] = block
    for b, block in enumerate(blocks):
        if moving not in block:
            continue
        if block[0] == moving:
            other = b - 1 if up else b + 1
            if 0 <= other < len(blocks):
                blocks[b], blocks[other] = blocks[other], blocks[b]
        else:
            i = block.index(moving)
            other = i - 1 if up else i + 1
            if 1 <= other < len(block):
                block[i], block[other] = block[other], block[i]
        break
    return [qid for block in blocks for qid in block]


# --- report statistics --------------------------------------------------------------------------


@dataclass(frozen=True)
class OptionCount:
    label: str
    count: int
    dont_know: bool
    percent: float  # of n


@dataclass(frozen=True)
class QuestionStats:
    n: int  # responses that answered the question (partial ones included)
    options: tuple[OptionCount, ...]  # in the question's order, "Ved ikke" last
    mean: float | None  # 1 (worst) .. k (best) over scored answers, "Ved ikke" left out
    mean_n: int  # the answers the mean is over


def question_stats(
    options: Sequence[tuple[str, bool]], counts: Mapping[str, int], n: int, *, scored: bool
) -> QuestionStats:
    """Counts per option, shares of n, and the average of a scored scale.

    ``options`` are (label, is "Ved ikke") in the question's order, best first. For a
    multiple-choice question each option is counted by itself (never a combination), so the
    counts may add up to more than n. "Ved ikke" is shown apart (last) and never averaged.
    """
    rows = [
        OptionCount(label, counts.get(label, 0), dont_know, (100.0 * counts.get(label, 0) / n) if n else 0.0)
        for label, dont_know in options
    ]
    rows = [r for r in rows if not r.dont_know] + [r for r in rows if r.dont_know]
    mean = None
    mean_n = 0
    if scored:
        graded = [r for r in rows if not r.dont_know]
        k = len(graded)
        mean_n = sum(r.count for r in graded)
        if mean_n:
            mean = sum((k - i) * r.count for i, r in enumerate(graded)) / mean_n
    return QuestionStats(n=n, options=tuple(rows), mean=mean, mean_n=mean_n)


def suppressed_groups(sizes: Mapping[str, int], minimum: int = MIN_GROUP) -> set[str]:
    """The groups whose breakdown is hidden: each smaller than ``minimum``, and, when only one
    is that small, also the next smallest, so a hidden group cannot be worked out from the total
    minus the groups shown."""
    hidden = {group for group, size in sizes.items() if 0 < size < minimum}
    rest = sorted((size, group) for group, size in sizes.items() if group not in hidden and size > 0)
    if len(hidden) == 1 and rest:
        hidden.add(rest[0][1])
    return hidden


def released(held: Mapping[str, int], *, closing: bool = False, minimum: int = MIN_GROUP) -> set[str]:
    """The affiliations whose held responses go into the results now (issue 12, point 4).

    ``held`` is how many responses of each affiliation wait in the holding table. While the
    survey runs a batch is released only when at least ``minimum`` of one affiliation wait: the
    batch's transaction then names a set of at least that many people of that group who
    completed since the last batch, never one person. At closing everything held is released
    (and the survey's responses are rewritten in one shuffled transaction, so no batch boundary
    survives either).
    """
    return {a for a, count in held.items() if count > 0 and (closing or count >= minimum)}


WITHHELD_TOO_FEW = gettext_noop("Too few answers to show (fewer than 5).")
WITHHELD_WORKED_OUT = gettext_noop(
    "Not shown: this part was only for one group, and its numbers would let a group of fewer "
    "than 5 be worked out from the total."
)


WITHHELD_SINGLES_OUT = gettext_noop(
    "Not shown: this question asks for the respondent's group, and an answer chosen by fewer "
    "than 5 would single that group out."
)

# Questions that ask the respondents which group they belong to ("Angiv din tilknytning til
# KKR"), by key (copies keep the key). Their answers are a grouping like the affiliation.
GROUP_KEYS = frozenset({"tilknytning"})


# The answers of the group question that fit each affiliation (an "Andet" answer fits all).
GROUP_ANSWERS: dict[str, frozenset[str]] = {
    "member": frozenset(
        {"Medlem og udpeget", "Medlem af KKR som borgmester", "Medlem som kommunalbestyrelsesmedlem"}
    ),
    "substitute": frozenset({"Stedfortræder for et KKR-medlem"}),
    "appointee": frozenset({"KKR-udpeget", "Medlem og udpeget"}),
    "council_member": frozenset({"Kommunalbestyrelsesmedlem, ikke medlem af KKR"}),
}


def groups_left_out(labels: Iterable[str], affiliations: Iterable[str], *, other: bool = False) -> list[str]:
    """The invited affiliations that find no fitting answer to a required group question
    (issue 13 point 9: every invited group can answer every required question); none when the
    question has an "Andet - uddyb" answer (``other``). In AFFILIATION_PRECEDENCE order."""
    if other:
        return []
    offered, invited = set(labels), set(affiliations)
    return [a for a in AFFILIATION_PRECEDENCE if a in invited and not GROUP_ANSWERS.get(a, set()) & offered]


def withheld(
    audience: str,
    sizes: Mapping[str, int],
    answered: int | None = None,
    *,
    follow_up: bool = False,
    optional: bool = False,
    chosen: Mapping[str, int] | None = None,
) -> str:
    """Why the results of a section limited to one affiliation, of one of its questions, or of a
    follow-up question are not shown, as a msgid; "" when they may be shown.

    Such a section's results are that group's results, so they follow the breakdown's rule
    (``suppressed_groups``): hidden when the group is hidden overall (fewer than 5 respondents,
    or the second group hidden with a lone small one), and per question when fewer than 5 of
    the group answered it. A follow-up is answered only by those who gave the answer it follows,
    a group they chose themselves: it is hidden when fewer than 5 answered it. ``sizes`` are
    respondents per affiliation; ``answered`` is how many answered the question (None for the
    section as a whole).

    An optional question (``optional``) is answered only by those who chose to, often one group
    in all but name (the template's "Hvor længe har du været KKR-udpeget"): hidden when fewer
    than 5 answered it. A required question for everyone is never withheld here (its n is the
    number of respondents, which the invitee list shows anyway). ``chosen`` (count per answer)
    is given for a question that asks for the respondent's group (``GROUP_KEYS``): its answers
    are groups, so the question is hidden when the breakdown's rule would hide one of them.
    """
    if audience and audience in suppressed_groups(sizes):
        return WITHHELD_TOO_FEW if sizes.get(audience, 0) < MIN_GROUP else WITHHELD_WORKED_OUT
    if chosen is not None and suppressed_groups(chosen):
        return WITHHELD_SINGLES_OUT
    if (audience or follow_up or optional) and answered is not None and 0 < answered < MIN_GROUP:
        return WITHHELD_TOO_FEW
    return ""
