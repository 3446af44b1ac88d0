"""Who may see and change surveys: the secretariat of the survey's region. Templates without a
region (shared by all KKR) may be read and copied by every secretariat, not changed."""

from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from accounts.roles import roles_of

from .models import HeldResponse, Invitation, Question, Response, Section, Survey


def surveys_for_user(roles, write: bool = False):
    mine = Q(region_id__in=roles.secretariat_regions)
    if not write and roles.secretariat_regions:
        mine |= Q(is_template=True, region__isnull=True)
    return Survey.objects.filter(mine)


def with_counts(surveys):
    """Responses (with those still held for their batch) and invitations per survey, as
    subqueries (joined counts would multiply)."""
    responses = (
        Response.objects.filter(survey=OuterRef("pk")).values("survey").annotate(c=Count("id")).values("c")
    )
    held = (
        HeldResponse.objects.filter(survey=OuterRef("pk"))
        .values("survey")
        .annotate(c=Count("id"))
        .values("c")
    )
    invited = (
        Invitation.objects.filter(survey=OuterRef("pk")).values("survey").annotate(c=Count("id")).values("c")
    )
    return surveys.annotate(
        responses_count=Coalesce(Subquery(responses), 0) + Coalesce(Subquery(held), 0),
        invited=Coalesce(Subquery(invited), 0),
    )


def get_survey_for_user(request, pk: int, write: bool = False) -> Survey:
    return get_object_or_404(
        surveys_for_user(roles_of(request), write).select_related("region", "council__region"), pk=pk
    )


def get_question_for_user(request, pk: int) -> Question:
    """A question the user may change (through its survey)."""
    surveys = surveys_for_user(roles_of(request), write=True)
    return get_object_or_404(
        Question.objects.select_related("section__survey"), pk=pk, section__survey__in=surveys
    )


def get_section_for_user(request, pk: int) -> Section:
    surveys = surveys_for_user(roles_of(request), write=True)
    return get_object_or_404(Section.objects.select_related("survey"), pk=pk, survey__in=surveys)
