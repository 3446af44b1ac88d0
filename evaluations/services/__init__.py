"""Write paths of evaluations, one function per use case, each in one transaction; split by use
case (authoring, inviting, answering, closing). Import them from here.

Every refusal is a ``core.errors.Refused`` and stores nothing; where a page must tell refusals
apart it reads the error's ``code`` ("frozen", "closed", "answered", "unknown_link"; a refused
submission carries its problems per question, ``errors_by_question``).
"""

from .answering import (
    answer_refusal,
    draft_errors,
    draft_load,
    errors_by_question,
    held_release,
    invitation_for_link,
    response_save_draft,
    response_submit,
    responses_release,
)
from .authoring import (
    OptionInput,
    option_add,
    options_for,
    question_add,
    question_change_kind,
    question_delete,
    question_move,
    question_update,
    section_add,
    section_delete,
    section_move,
    survey_copy_from_template,
    survey_create,
    survey_set_dates,
    survey_update,
)
from .closing import survey_close, survey_close_now, surveys_close_due
from .inviting import (
    InvitationResult,
    audience,
    invitation_link,
    invitations_create,
    invitations_send,
    reminders_send_due,
    survey_open,
)

__all__ = [
    "InvitationResult",
    "OptionInput",
    "answer_refusal",
    "audience",
    "draft_errors",
    "draft_load",
    "errors_by_question",
    "held_release",
    "invitation_for_link",
    "invitation_link",
    "invitations_create",
    "invitations_send",
    "option_add",
    "options_for",
    "question_add",
    "question_change_kind",
    "question_delete",
    "question_move",
    "question_update",
    "reminders_send_due",
    "response_save_draft",
    "response_submit",
    "responses_release",
    "section_add",
    "section_delete",
    "section_move",
    "survey_close",
    "survey_close_now",
    "survey_copy_from_template",
    "survey_create",
    "survey_open",
    "survey_set_dates",
    "survey_update",
    "surveys_close_due",
]
