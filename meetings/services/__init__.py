"""Every write path of meetings: one function per use case, each in a transaction, in one module
per use case. Callers use `from meetings import services` / `from meetings.services import x`:
every public name is re-exported here.

Rules come from rules.py; side effects (notices, PDF rendering) are queued to run after commit.
The modules import each other one way only (`_common` at the bottom; `plan` and `proposals` use
`agenda`), a contract in pyproject.toml.
"""

from ..documents import documents_request
from .absence import absence_report, absence_withdraw, substitute_absence_report
from .agenda import (
    attachment_add,
    attachment_remove,
    item_add,
    item_closed_confirm,
    item_move,
    item_remove,
    item_update,
)
from .attendance import attendance_record, attendance_register, guest_add, guest_remove
from .minutes import minutes_approve, minutes_publish, minutes_revise, minutes_save, minutes_start
from .plan import (
    calendar_token_reset,
    extraordinary_request,
    meeting_call_extraordinary,
    meeting_cancel,
    meeting_move,
    meeting_plan,
)
from .proposals import ProposalAction, proposal_decide, proposal_submit
from .publishing import agenda_approval_request, agenda_approve, agenda_publish
from .votes import vote_record

__all__ = [
    "ProposalAction",
    "absence_report",
    "absence_withdraw",
    "agenda_approval_request",
    "agenda_approve",
    "agenda_publish",
    "attachment_add",
    "attachment_remove",
    "attendance_record",
    "attendance_register",
    "calendar_token_reset",
    "documents_request",
    "extraordinary_request",
    "guest_add",
    "guest_remove",
    "item_add",
    "item_closed_confirm",
    "item_move",
    "item_remove",
    "item_update",
    "meeting_call_extraordinary",
    "meeting_cancel",
    "meeting_move",
    "meeting_plan",
    "minutes_approve",
    "minutes_publish",
    "minutes_revise",
    "minutes_save",
    "minutes_start",
    "proposal_decide",
    "proposal_submit",
    "substitute_absence_report",
    "vote_record",
]
