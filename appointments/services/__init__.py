"""Write paths of appointments: one function per use case, each in one transaction.

Every function validates first and raises ``core.errors.Refused`` (a ``ValidationError``) with a clear
message before writing anything, so a refused request changes nothing. The modules split them by
meaning; import them from here.
"""

from ..selectors import (  # reads the services build on, kept importable from here for callers
    cooperation_map,
    council_composition,
    named_members,
    regional_results,
)
from .bodies import (
    appointment_create,
    appointment_end,
    appointment_end_dates,
    body_create,
    body_term_record,
    check_appointable,
    election_void,
    majority_round_record,
    parse_candidates,
    parse_groups,
    post_create,
    proportional_election_run,
)
from .chair import (
    alliance_declare,
    chair_candidates,
    chair_election_name,
    chair_election_run,
    chair_replace,
    chair_votes,
    council_constituent_meeting_set,
    council_lists,
    region_mayors,
)
from .council import (
    cooperation_declare,
    seat_change_substitute,
    seat_fill,
    seat_replace,
    seat_warnings,
    stand_in_create,
    stand_in_end,
)
from .reminders import constituent_reminders_queue, election_record_render, term_warnings_queue

__all__ = [
    "alliance_declare",
    "appointment_create",
    "appointment_end",
    "appointment_end_dates",
    "body_create",
    "body_term_record",
    "chair_candidates",
    "chair_election_name",
    "chair_election_run",
    "chair_replace",
    "chair_votes",
    "check_appointable",
    "constituent_reminders_queue",
    "cooperation_declare",
    "cooperation_map",
    "council_composition",
    "council_constituent_meeting_set",
    "council_lists",
    "election_record_render",
    "election_void",
    "majority_round_record",
    "named_members",
    "parse_candidates",
    "parse_groups",
    "post_create",
    "proportional_election_run",
    "region_mayors",
    "regional_results",
    "seat_change_substitute",
    "seat_fill",
    "seat_replace",
    "seat_warnings",
    "stand_in_create",
    "stand_in_end",
    "term_warnings_queue",
]
