"""Write paths of the IV agreement, one module per use case (docs/architecture.md); import them
from here. Every function refuses with core.errors.Refused and stores nothing when a rule refuses."""

from ..parsing import COURSE_FIELDS, CourseInput
from .agreement import agreement_extend, agreement_of_region, agreement_periods
from .courses import (
    REGISTER_ATTEMPTS,
    RegisterResult,
    course_register,
    course_withdraw,
    courses_register,
)
from .notices import EXTENSION_NOTICE_DAYS, key_date_notices_queue, quarter_report_request
from .settlement import (
    STALE_JOB,
    missing_tariff_years,
    settlement_job_run,
    settlement_jobs_resume,
    settlement_request,
    settlement_run,
)
from .statements import statement_finalise, statement_pdf_request, statement_pdfs_owed_retry
from .tariff_years import tariff_rates, tariff_year_create

__all__ = [
    "COURSE_FIELDS",
    "EXTENSION_NOTICE_DAYS",
    "REGISTER_ATTEMPTS",
    "STALE_JOB",
    "CourseInput",
    "RegisterResult",
    "agreement_extend",
    "agreement_of_region",
    "agreement_periods",
    "course_register",
    "course_withdraw",
    "courses_register",
    "key_date_notices_queue",
    "missing_tariff_years",
    "quarter_report_request",
    "settlement_job_run",
    "settlement_jobs_resume",
    "settlement_request",
    "settlement_run",
    "statement_finalise",
    "statement_pdf_request",
    "statement_pdfs_owed_retry",
    "tariff_rates",
    "tariff_year_create",
]
