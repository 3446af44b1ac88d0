from django.urls import path

from . import views

app_name = "evaluations"
urlpatterns = [
    path("", views.survey_list, name="survey_list"),
    path("ny/", views.survey_create, name="survey_create"),
    path("<int:pk>/", views.survey_detail, name="survey_detail"),
    path("<int:pk>/ret/", views.survey_update, name="survey_update"),
    path("<int:pk>/afsnit/", views.section_add, name="section_add"),
    path("afsnit/<int:pk>/slet/", views.section_delete, name="section_delete"),
    path("afsnit/<int:pk>/flyt/", views.section_move, name="section_move"),
    path("<int:pk>/spoergsmaal/", views.question_add, name="question_add"),
    path("spoergsmaal/<int:pk>/ret/", views.question_update, name="question_update"),
    path("spoergsmaal/<int:pk>/slet/", views.question_delete, name="question_delete"),
    path("spoergsmaal/<int:pk>/flyt/", views.question_move, name="question_move"),
    path("spoergsmaal/<int:pk>/type/", views.question_kind, name="question_kind"),
    path("<int:pk>/datoer/", views.survey_dates, name="survey_dates"),
    path("<int:pk>/inviter/", views.invitations_create, name="invitations_create"),
    path("<int:pk>/inviterede/", views.invitation_list, name="invitation_list"),
    path("<int:pk>/aabn/", views.survey_open, name="survey_open"),
    path("<int:pk>/luk/", views.survey_close, name="survey_close"),
    path("<int:pk>/rapport/", views.report, name="report"),
    path("<int:pk>/rapport/besvarelser.xlsx", views.report_xlsx, name="report_xlsx"),
    path("<int:pk>/rapport/rapport.pdf", views.report_pdf, name="report_pdf"),
    path("svar/<str:token>/", views.respond, name="respond"),
]
