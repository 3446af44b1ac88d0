"""Periodic tasks of the appointments app, merged into CELERY_BEAT_SCHEDULE by settings.py."""

from celery.schedules import crontab

BEAT: dict[str, dict] = {
    # From 1 December: remind the convener and the secretariat of the constituent meeting (Bilag 1 1.2).
    "appointments-constituent-reminders": {
        "task": "appointments.tasks.constituent_reminders",
        "schedule": crontab(hour=7, minute=10),
    },
    # 60 days before a post's term ends: warn the secretariat (docs/rules.md §3).
    "appointments-term-warnings": {
        "task": "appointments.tasks.term_warnings",
        "schedule": crontab(hour=7, minute=20),
    },
    # From five days before the parties' deadline: which lists still miss supplementary members.
    "appointments-term-members-reminders": {
        "task": "appointments.tasks.term_members_reminders",
        "schedule": crontab(hour=7, minute=30),
    },
}
