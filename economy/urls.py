from django.urls import path

from . import views

app_name = "economy"
urlpatterns = [
    path("", views.index, name="index"),
    path("arrangementer/nyt/", views.event_create, name="event_create"),
    path("arrangementer/<int:pk>/", views.event_detail, name="event_detail"),
    path("arrangementer/<int:pk>/tilmeld/", views.event_register, name="event_register"),
    path("arrangementer/<int:pk>/fremmoede/", views.event_attendance, name="event_attendance"),
    path("arrangementer/<int:pk>/fakturagrundlag.pdf", views.invoice_pdf, name="invoice_pdf"),
    path("arrangementer/<int:pk>/fakturagrundlag.xlsx", views.invoice_xlsx, name="invoice_xlsx"),
    path("tilmeldinger/<int:pk>/afmeld/", views.registration_cancel, name="registration_cancel"),
    path("initiativer/", views.initiative_list, name="initiative_list"),
    path("initiativer/nyt/", views.initiative_create, name="initiative_create"),
    path("initiativer/<int:pk>/", views.initiative_detail, name="initiative_detail"),
    path("initiativer/<int:pk>/budget/", views.initiative_budget, name="initiative_budget"),
    path("initiativer/<int:pk>/deltager/", views.initiative_participant, name="initiative_participant"),
    path("rapporter/<int:pk>/", views.report_submit, name="report_submit"),
    path("rapporter/<int:pk>/dagsorden/", views.report_agenda, name="report_agenda"),
    path("godtgoerelse/", views.claims, name="claims"),
    path("godtgoerelse/behandling/", views.claims_review, name="claims_review"),
    path("godtgoerelse/<int:pk>/godkend/", views.claim_approve, name="claim_approve"),
    path("godtgoerelse/<int:pk>/returner/", views.claim_return, name="claim_return"),
    path("godtgoerelse/takster/", views.rates, name="rates"),
    path("loen/", views.payroll_create, name="payroll_create"),
    path("loen/<int:pk>.xlsx", views.payroll_xlsx, name="payroll_xlsx"),
]
