"""Statements of a settlement run: finalising (numbered, frozen) and their PDFs, owed until stored."""

from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from accounts.messaging import queue_notice
from accounts.models import Role, RoleKind
from core.tasks import enqueue_on_commit

from ..models import (
    Agreement,
    SettlementRun,
    Statement,
)
from ..tasks import render_statement_pdf


def statement_finalise(*, statement: Statement, user=None) -> Statement:
    """Number and freeze a statement (idempotent: a finalised statement is returned as it is)."""
    agreement_id = SettlementRun.objects.values_list("agreement_id", flat=True).get(statements=statement)
    with transaction.atomic():
        # The same lock order as settlement_run: the agreement first, then its rows.
        agreement = Agreement.objects.select_for_update().get(pk=agreement_id)
        statement = Statement.objects.select_for_update().get(pk=statement.pk)
        if statement.is_final:
            return statement
        agreement.statement_counter += 1
        agreement.save(update_fields=["statement_counter"])
        statement.status = Statement.Status.FINAL
        statement.number = agreement.statement_counter
        statement.finalised_at = timezone.now()
        statement.finalised_by = user
        statement.save(update_fields=["status", "number", "finalised_at", "finalised_by"])
        statement_pdf_request(statement=statement)
        _notify_clerks_of_statement(statement)
    return statement


def _notify_clerks_of_statement(statement: Statement) -> None:
    """Tell the municipality's clerks that their statement is final (one notice per clerk)."""
    url = reverse("agreements:statement_detail", args=[statement.pk])
    clerks = Role.objects.filter(
        kind=RoleKind.CLERK, municipality_id=statement.municipality_id, user__is_active=True
    ).select_related("user", "municipality")
    for role in clerks:
        queue_notice(
            key=f"iv-statement-{statement.pk}-{role.user_id}",
            to_email=role.user.email,
            template="agreements/mail/statement_final",
            context={"statement": statement, "municipality": role.municipality, "url": url},
            user=role.user,
            url=url,
        )


def statement_pdf_request(*, statement: Statement) -> None:
    """Have the pdf worker render the statement's PDF, recording that it is owed."""
    Statement.objects.filter(pk=statement.pk).update(pdf_requested_key=statement.render_key)
    enqueue_on_commit(render_statement_pdf, statement.pk)


def statement_pdfs_owed_retry() -> int:
    """Enqueue again every statement PDF asked for but not stored (its task may have died with a
    worker); rendering is idempotent, so a duplicate costs only time."""
    owed = list(
        Statement.objects.exclude(pdf_requested_key="")
        .exclude(pdf_key=F("pdf_requested_key"))
        .values_list("pk", flat=True)
    )
    for pk in owed:
        enqueue_on_commit(render_statement_pdf, pk)
    return len(owed)
