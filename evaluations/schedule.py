"""Periodic tasks of the evaluations app, merged into CELERY_BEAT_SCHEDULE by settings.py.

Both tasks are idempotent (a reminder is marked sent before its notices are queued, a closed
survey is skipped), so running them hourly sends each reminder on its day and closes each
survey the morning after its closing date.
"""

BEAT: dict[str, dict] = {
    "evaluations-send-due-reminders": {"task": "evaluations.tasks.send_due_reminders", "schedule": 3600.0},
    # Submitted responses wait in the holding table until 5 of one affiliation can go together.
    "evaluations-release-held-responses": {
        "task": "evaluations.tasks.release_held_responses",
        "schedule": 900.0,
    },
    "evaluations-close-due-surveys": {"task": "evaluations.tasks.close_due_surveys", "schedule": 3600.0},
}
