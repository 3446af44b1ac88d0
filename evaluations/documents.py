"""The survey report as a stored document: a closed survey's results are final, so its report is
computed and its PDF rendered once, by the pdf queue's worker when the survey closes
(``services.survey_close``), and both are served from storage afterwards."""

from celery import shared_task
from django.core.files.base import ContentFile
from django.utils import translation

import core.time
from core.pdf import render_pdf

from .models import ReportPdf, Survey
from .selectors import stored_report

PDF_LANGUAGE = "da"


@shared_task(name="evaluations.tasks.render_survey_report")
def render_survey_report(survey_id: int) -> int:
    """Render the whole report as PDF and keep it (the newest replaces the last); the report it
    is made from is stored on the way (``selectors.stored_report``). Returns the PDF's size."""
    survey = Survey.objects.filter(pk=survey_id, is_template=False).first()
    if survey is None:
        return 0
    with translation.override(PDF_LANGUAGE):
        report = stored_report(survey, today=core.time.today())
    pdf = render_pdf(
        "evaluations/report_pdf.html", {"report": report, "survey": survey}, language=PDF_LANGUAGE
    )
    stored, _created = ReportPdf.objects.get_or_create(survey=survey)
    if stored.file:
        stored.file.delete(save=False)
    stored.file.save(f"rapport-{survey.pk}-{core.time.today():%Y%m%d}.pdf", ContentFile(pdf), save=False)
    stored.responses = report.responses
    stored.save()
    return len(pdf)
