from django.urls import path

from . import views

app_name = "agreements"
urlpatterns = [
    path("", views.course_list, name="course_list"),
    path("forloeb/ny/", views.course_create, name="course_create"),
    path("forloeb/upload/", views.course_upload, name="course_upload"),
    path("forloeb/<int:pk>/", views.course_detail, name="course_detail"),
    path("forloeb/<int:pk>/rediger/", views.course_edit, name="course_edit"),
    path("forloeb/<int:pk>/tilbagetraek/", views.course_withdraw_view, name="course_withdraw"),
    path("afregning/", views.run_list, name="run_list"),
    path("afregning/koer/", views.run_create, name="run_create"),
    path("afregning/<int:pk>/", views.run_detail, name="run_detail"),
    path("afregning/bestilling/<int:pk>/", views.settlement_job, name="settlement_job"),
    path("afregning/<int:pk>/xlsx/", views.run_xlsx, name="run_xlsx"),
    path("opgoerelse/<int:pk>/", views.statement_detail, name="statement_detail"),
    path("opgoerelse/<int:pk>/pdf/", views.statement_pdf, name="statement_pdf"),
    path("opgoerelse/<int:pk>/xlsx/", views.statement_xlsx, name="statement_xlsx"),
    path("opgoerelse/<int:pk>/afslut/", views.statement_finalise_view, name="statement_finalise"),
    path("aftale/", views.agreement_detail, name="agreement"),
    path("takster/", views.tariff_list, name="tariff_list"),
    path("trappe/", views.staircase_view, name="staircase"),
    path("monitorering/", views.monitoring_view, name="monitoring"),
    path("monitorering/xlsx/", views.monitoring_xlsx, name="monitoring_xlsx"),
    path("monitorering/pdf/", views.monitoring_pdf, name="monitoring_pdf"),
    path("fordeling/", views.cost_sharing, name="cost_sharing"),
]
