import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from evaluations import rules
from evaluations.rules import Given, QuestionSpec
from evaluations.template_2018 import SECTIONS

QUALITY = rules.scale_options("quality")


def test_ready_made_scales_end_with_dont_know():
    for name, spec in rules.SCALES.items():
        assert spec.labels[-1] == rules.DONT_KNOW, name
    assert rules.SCALES["degree"].labels[0] == "I meget høj grad"
    assert rules.SCALES["amount"].labels == ("For mange", "Passende", "For få", "Ved ikke")
    assert rules.SCALES["amount"].scored is False


def test_dont_know_is_apart_and_never_averaged():
    stats = rules.question_stats(QUALITY, {"Meget godt": 2, "Dårligt": 2, "Ved ikke": 6}, 10, scored=True)
    assert stats.mean == pytest.approx((5 * 2 + 2 * 2) / 4)
    assert stats.mean_n == 4
    assert stats.options[-1].label == "Ved ikke" and stats.options[-1].dont_know
    assert stats.options[-1].percent == pytest.approx(60.0)


def test_only_dont_know_has_no_mean():
    stats = rules.question_stats(QUALITY, {"Ved ikke": 3}, 3, scored=True)
    assert stats.mean is None and stats.mean_n == 0


def test_unscored_scale_has_no_mean():
    stats = rules.question_stats(rules.scale_options("amount"), {"Passende": 3}, 3, scored=False)
    assert stats.mean is None


def test_multiple_choice_counts_each_option_not_combinations():
    options = [("Network", False), ("Knowledge", False)]
    stats = rules.question_stats(options, {"Network": 3, "Knowledge": 2}, 3, scored=False)
    assert [o.count for o in stats.options] == [3, 2]
    assert sum(o.count for o in stats.options) > stats.n


def test_no_answers_gives_zero_percent():
    stats = rules.question_stats(QUALITY, {}, 0, scored=True)
    assert all(o.percent == 0 for o in stats.options)


@given(st.lists(st.integers(min_value=0, max_value=50), min_size=6, max_size=6))
def test_mean_lies_on_the_scale_and_ignores_dont_know(counts):
    by_label = {label: c for (label, _dk), c in zip(QUALITY, counts, strict=True)}
    n = sum(counts)
    stats = rules.question_stats(QUALITY, by_label, n, scored=True)
    more_dont_know = rules.question_stats(
        QUALITY, {**by_label, "Ved ikke": counts[-1] + 7}, n + 7, scored=True
    )
    assert stats.mean == more_dont_know.mean
    if stats.mean is not None:
        assert 1 <= stats.mean <= 5


@pytest.mark.parametrize(
    ("sizes", "hidden"),
    [
        ({"member": 5, "appointee": 5}, set()),
        ({"member": 21, "appointee": 3}, {"appointee", "member"}),
        ({"member": 21, "appointee": 3, "substitute": 6}, {"appointee", "substitute"}),
        ({"member": 21, "appointee": 4, "substitute": 2}, {"appointee", "substitute"}),
        ({"member": 4}, {"member"}),
        ({"member": 10, "appointee": 0}, set()),
    ],
)
def test_groups_under_five_are_suppressed(sizes, hidden):
    assert rules.suppressed_groups(sizes) == hidden


@given(st.dictionaries(st.sampled_from(["a", "b", "c", "d"]), st.integers(min_value=0, max_value=12)))
def test_a_hidden_group_cannot_be_worked_out(sizes):
    hidden = rules.suppressed_groups(sizes)
    shown = {g for g, s in sizes.items() if s > 0} - hidden
    assert all(sizes[g] >= rules.MIN_GROUP for g in shown)
    assert all(sizes[g] > 0 for g in hidden)
    assert all(sizes[g] < rules.MIN_GROUP for g in hidden if sizes[g] < rules.MIN_GROUP)
    # never exactly one group hidden beside groups shown (total minus shown would reveal it)
    assert not (len(hidden) == 1 and shown)


def test_tokens_and_keys_are_unrelated_strings():
    token = rules.link_token("k", "nonce")
    assert token != rules.link_token("other-key", "nonce")
    assert len({token, rules.token_hash(token), rules.draft_key(token)}) == 3


def test_strongest_affiliation():
    assert rules.strongest_affiliation({"council_member", "appointee", "member"}) == "member"
    assert rules.strongest_affiliation(["council_member"]) == "council_member"
    with pytest.raises(ValueError):
        rules.strongest_affiliation([])


SPECS = [
    QuestionSpec(1, "single", True, frozenset({10, 11})),
    QuestionSpec(2, "multiple", False, frozenset({20, 21, 22}), text_option=22),
    QuestionSpec(3, "single", False, frozenset({30, 31})),
    QuestionSpec(4, "text", True, parent=3, shown_for=30),
]


def test_required_question_must_be_answered():
    assert rules.answer_errors(SPECS, {}) == {1: "This question must be answered."}


def test_follow_up_required_only_when_shown():
    assert rules.answer_errors(SPECS, {1: Given([10]), 3: Given([31])}) == {}
    assert rules.answer_errors(SPECS, {1: Given([10]), 3: Given([30])}) == {
        4: "This question must be answered."
    }


def test_other_needs_its_text_and_single_allows_one():
    errors = rules.answer_errors(SPECS, {1: Given([10, 11]), 2: Given([22])})
    assert errors == {1: "Choose only one answer.", 2: "Please describe your answer 'Other'."}
    assert rules.answer_errors(SPECS, {1: Given([99])}) == {1: "Choose one of the answers shown."}


def test_clean_drops_hidden_follow_ups_unknown_options_and_stray_text():
    cleaned = rules.clean_answers(
        SPECS,
        {1: Given([10, 99], text="x"), 2: Given([20], text="stray"), 3: Given([31]), 4: Given(text="hidden")},
    )
    assert cleaned == {1: Given([10]), 2: Given([20]), 3: Given([31])}
    kept = rules.clean_answers(SPECS, {2: Given([22], "other"), 3: Given([30]), 4: Given(text=" why ")})
    assert kept == {2: Given([22], "other"), 3: Given([30]), 4: Given(text="why")}


@given(st.lists(st.integers(min_value=0, max_value=40), min_size=6, max_size=6))
def test_shares_of_a_single_choice_add_up_to_100(counts):
    by_label = {label: c for (label, _dk), c in zip(QUALITY, counts, strict=True)}
    stats = rules.question_stats(QUALITY, by_label, sum(counts), scored=True)
    if sum(counts):
        assert sum(o.percent for o in stats.options) == pytest.approx(100.0)
    assert [o.count for o in stats.options] == counts  # "Ved ikke" is already last in the scale


answers_strategy = st.dictionaries(
    st.sampled_from([1, 2, 3, 4, 99]),
    st.builds(
        Given, st.lists(st.sampled_from([10, 11, 20, 21, 22, 30, 31, 77]), max_size=4), st.text(max_size=5)
    ),
)


def test_follow_up_dropped_when_its_answer_is_cleaned_away():
    cleaned = rules.clean_answers(SPECS, {3: Given([31, 30]), 4: Given(text="why")})
    assert cleaned == {3: Given([31])}


@given(answers_strategy)
def test_cleaning_is_idempotent_and_keeps_only_known_answers(answers):
    cleaned = rules.clean_answers(SPECS, answers)
    assert rules.clean_answers(SPECS, cleaned) == cleaned
    known = {spec.id: spec for spec in SPECS}
    for qid, answer in cleaned.items():
        spec = known[qid]
        assert set(answer.options) <= spec.options
        if spec.kind == "single":
            assert len(answer.options) <= 1
        if spec.shown_for is not None:
            assert spec.shown_for in cleaned.get(spec.parent, Given()).options


@pytest.mark.parametrize(
    ("audience", "sizes", "answered", "expected"),
    [
        ("", {"member": 1}, 1, ""),  # a section for everyone is never withheld here
        ("member", {"member": 4, "council_member": 10}, None, rules.WITHHELD_TOO_FEW),
        ("member", {"member": 4}, 4, rules.WITHHELD_TOO_FEW),
        ("member", {"member": 5, "council_member": 10}, None, ""),
        ("member", {"member": 5, "council_member": 10}, 5, ""),
        ("member", {"member": 5, "council_member": 10}, 4, rules.WITHHELD_TOO_FEW),
        ("member", {"member": 5, "council_member": 10}, 0, ""),  # nothing to show, nothing to hide
        ("member", {"member": 21, "appointee": 3}, None, rules.WITHHELD_WORKED_OUT),
        ("member", {"member": 21, "appointee": 3}, 21, rules.WITHHELD_WORKED_OUT),
        # two small groups hide each other; the members stay shown
        ("member", {"member": 21, "appointee": 3, "substitute": 2}, 21, ""),
        ("appointee", {"member": 21, "appointee": 3, "substitute": 2}, 3, rules.WITHHELD_TOO_FEW),
        ("substitute", {"member": 21, "substitute": 0}, None, ""),
    ],
)
def test_withheld_follows_the_breakdown(audience, sizes, answered, expected):
    assert rules.withheld(audience, sizes, answered) == expected


@pytest.mark.parametrize(
    ("answered", "expected"), [(0, ""), (1, rules.WITHHELD_TOO_FEW), (4, rules.WITHHELD_TOO_FEW), (5, "")]
)
def test_a_follow_up_answered_by_fewer_than_five_is_withheld(answered, expected):
    """Those who answer a follow-up chose themselves by their answer: a group like any other."""
    sizes = {"member": 21, "appointee": 3}
    assert rules.withheld("", sizes, answered, follow_up=True) == expected
    assert rules.withheld("", sizes, answered) == ""  # the same question for everyone is shown


ORDER = [(1, None), (2, None), (3, 2), (4, 2), (5, None)]


@pytest.mark.parametrize(
    ("moving", "up", "expected"),
    [
        (5, True, [1, 5, 2, 3, 4]),  # past the whole question with its follow-ups
        (1, False, [2, 3, 4, 1, 5]),
        (2, True, [2, 3, 4, 1, 5]),  # the follow-ups go along
        (4, True, [1, 2, 4, 3, 5]),  # among its question's follow-ups
        (3, True, [1, 2, 3, 4, 5]),  # never above its question
        (4, False, [1, 2, 3, 4, 5]),  # never out of its question's block
        (1, True, [1, 2, 3, 4, 5]),
        (5, False, [1, 2, 3, 4, 5]),
    ],
)
def test_moved(moving, up, expected):
    assert rules.moved(ORDER, moving, up) == expected


def test_moved_puts_a_stray_follow_up_back_after_its_question():
    assert rules.moved([(3, 2), (1, None), (2, None)], 1, True) == [1, 2, 3]


@given(st.lists(st.integers(0, 3), min_size=1, max_size=12), st.data())
def test_moved_keeps_every_question_and_follow_ups_after_their_question(parents, data):
    order = []
    for i, p in enumerate(parents, start=1):
        tops = [q for q, parent in order if parent is None]
        order.append((i, tops[-1] if p == 0 and tops else None))
    moving = data.draw(st.sampled_from([q for q, _p in order]))
    up = data.draw(st.booleans())
    result = rules.moved(order, moving, up)
    assert sorted(result) == sorted(q for q, _p in order)
    parent_of = dict(order)
    for q in result:
        if parent_of[q] is not None:
            assert result.index(parent_of[q]) < result.index(q)
    back = rules.moved([(q, parent_of[q]) for q in result], moving, not up)
    assert back == [q for q, _p in order] or result == [q for q, _p in order]


def test_merge_page_replaces_only_the_pages_questions():
    saved = {1: Given([10]), 2: Given(text="kept"), 3: Given([30])}
    merged = rules.merge_page(saved, {1: Given([11]), 9: Given([90])}, page=[1, 3])
    assert merged == {1: Given([11]), 2: Given(text="kept")}  # 3 taken away; 9 not on the page


@pytest.mark.parametrize(
    ("answered", "expected"), [(0, ""), (1, rules.WITHHELD_TOO_FEW), (4, rules.WITHHELD_TOO_FEW), (5, "")]
)
def test_an_optional_question_answered_by_fewer_than_five_is_withheld(answered, expected):
    """Issue 12 point 2: those who answer an optional question chose themselves (often one group
    in all but name, e.g. "how long have you been an appointee"); a required one is shown."""
    sizes = {"member": 21, "appointee": 3}
    assert rules.withheld("", sizes, answered, optional=True) == expected
    assert rules.withheld("", sizes, answered) == ""


@pytest.mark.parametrize(
    ("chosen", "expected"),
    [
        ({"Medlem": 21, "KKR-udpeget": 1}, rules.WITHHELD_SINGLES_OUT),  # the lone appointee
        ({"Medlem": 21, "KKR-udpeget": 4}, rules.WITHHELD_SINGLES_OUT),
        ({"Medlem": 21, "KKR-udpeget": 5}, ""),
        ({"Medlem": 21, "KKR-udpeget": 0}, ""),  # an answer nobody chose singles nobody out
        ({"Medlem": 21}, ""),
    ],
)
def test_a_question_asking_for_the_group_follows_the_breakdowns_rule(chosen, expected):
    """Issue 12 point 2: "Angiv din tilknytning" is a self-reported affiliation."""
    assert rules.withheld("", {"member": 22}, sum(chosen.values()), chosen=chosen) == expected
    assert "tilknytning" in rules.GROUP_KEYS


@pytest.mark.parametrize(
    ("labels", "invited", "other", "expected"),
    [
        # the 2018-2022 survey's answers: nothing for substitutes or plain council members
        (
            [
                "Medlem og udpeget",
                "KKR-udpeget",
                "Medlem af KKR som borgmester",
                "Medlem som kommunalbestyrelsesmedlem",
            ],
            ["member", "substitute", "appointee", "council_member"],
            False,
            ["substitute", "council_member"],
        ),
        (["KKR-udpeget"], ["appointee"], False, []),
        (["KKR-udpeget"], ["member"], False, ["member"]),
        (["KKR-udpeget"], ["member"], True, []),  # "Andet - uddyb" fits everyone
        ([], [], False, []),
    ],
)
def test_groups_left_out_by_the_group_question(labels, invited, other, expected):
    assert rules.groups_left_out(labels, invited, other=other) == expected


def test_every_invited_group_can_answer_the_templates_group_question():
    """Issue 13 point 9."""

    question = next(q for s in SECTIONS for q in s["questions"] if q["key"] in rules.GROUP_KEYS)
    assert question["required"]
    assert rules.groups_left_out(question["options"], rules.AFFILIATION_PRECEDENCE) == []
    assert len(question["counts"]) == len(question["options"])


D = datetime.date(2026, 3, 10)


@pytest.mark.parametrize(
    ("opens", "closes", "reminders", "expected"),
    [
        (D, D, [], {}),  # closing today is allowed (issue 13 point 7)
        (D - datetime.timedelta(days=5), D, [], {}),
        (
            D - datetime.timedelta(days=5),
            D - datetime.timedelta(days=1),
            [],
            {"closes_on": rules.CLOSES_IN_THE_PAST},
        ),
        (D, D - datetime.timedelta(days=1), [], {"closes_on": rules.CLOSES_BEFORE_OPENING}),
        (D, D + datetime.timedelta(days=9), [D + datetime.timedelta(days=9)], {}),
        (D, D + datetime.timedelta(days=9), [D], {"reminders": rules.REMINDER_OUTSIDE}),
        (
            D,
            D + datetime.timedelta(days=9),
            [D + datetime.timedelta(days=10)],
            {"reminders": rules.REMINDER_OUTSIDE},
        ),
    ],
)
def test_date_errors_boundaries(opens, closes, reminders, expected):
    assert rules.date_errors(opens, closes, reminders, D) == expected


@pytest.mark.parametrize(
    ("opened", "closed", "opens", "expected"),
    [
        (True, False, D, ""),  # the opening day itself
        (True, False, D - datetime.timedelta(days=1), ""),
        (True, False, D + datetime.timedelta(days=1), rules.NOT_STARTED),
        (False, False, D, rules.NOT_RUNNING),
        (True, True, D, rules.NOT_RUNNING),
    ],
)
def test_close_now_error_boundaries(opened, closed, opens, expected):
    assert rules.close_now_error(opened=opened, closed=closed, opens_on=opens, today=D) == expected


@pytest.mark.parametrize(
    ("held", "closing", "expected"),
    [
        ({"member": 4}, False, set()),
        ({"member": 5}, False, {"member"}),
        ({"member": 5, "appointee": 1}, False, {"member"}),  # the lone appointee waits
        ({"member": 4, "appointee": 1}, True, {"member", "appointee"}),  # closing releases all
        ({"member": 0}, True, set()),
    ],
)
def test_released_in_batches_of_five_of_one_affiliation(held, closing, expected):
    assert rules.released(held, closing=closing) == expected


@given(st.dictionaries(st.sampled_from(rules.AFFILIATION_PRECEDENCE), st.integers(0, 20)))
def test_a_running_batch_never_names_fewer_than_five(held):
    for affiliation in rules.released(held):
        assert held[affiliation] >= rules.MIN_GROUP
    assert rules.released(held, closing=True) == {a for a, n in held.items() if n}
