from celery import shared_task
from django.core.files.base import ContentFile

import core.time

from . import services


@shared_task(name="evaluations.tasks.send_due_reminders")
def send_due_reminders() -> int:
    return services.reminders_send_due(today=core.time.today())


@shared_task(name="evaluations.tasks.close_due_surveys")
def close_due_surveys() -> int:
    return services.surveys_close_due(today=core.time.today())


@shared_task(name="evaluations.tasks.release_held_responses")
def release_held_responses() -> int:
    return services.responses_release()


@shared_task(name="evaluations.tasks.render_survey_report")
def render_survey_report(survey_id: int) -> int:
    """Render the whole report as PDF and keep it (the newest replaces the last)."""
    from core.pdf import render_pdf

    from .models import ReportPdf, Survey
    from .report import build_report

    survey = Survey.objects.filter(pk=survey_id, is_template=False).first()
    if survey is None:
        return 0
    report = build_report(survey, today=core.time.today())
    pdf = render_pdf("evaluations/report_pdf.html", {"report": report, "survey": survey})
    stored, _created = ReportPdf.objects.get_or_create(survey=survey)
    if stored.file:
        stored.file.delete(save=False)
    name = f"rapport-{survey.pk}-{core.time.today():%Y%m%d}.pdf"
    stored.file.save(name, ContentFile(pdf), save=False)
    stored.responses = report.responses
    stored.save()
    return len(pdf)
