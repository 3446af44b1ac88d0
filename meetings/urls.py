from django.urls import path

from . import public_views, views

app_name = "meetings"
urlpatterns = [
    path("", views.index, name="index"),
    path("kkr/<int:pk>/", views.plan, name="plan"),
    path("kkr/<int:pk>/planlaeg/", views.plan_create, name="plan_create"),
    path("kkr/<int:pk>/ekstraordinaert/anmod/", views.extraordinary_request, name="extraordinary_request"),
    path("kkr/<int:pk>/ekstraordinaert/indkald/", views.extraordinary_call, name="extraordinary_call"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/punkter/nyt/", views.item_create, name="item_create"),
    path("punkter/<int:pk>/", views.item_edit, name="item_edit"),
    path("punkter/<int:pk>/flyt/", views.item_move, name="item_move"),
    path("punkter/<int:pk>/bilag/", views.attachment_upload, name="attachment_upload"),
    path("punkter/<int:pk>/afstemning/", views.vote, name="vote"),
    path("bilag/<int:pk>/", views.attachment_download, name="attachment"),
    path("<int:pk>/offentliggoer/", views.agenda_publish, name="agenda_publish"),
    path("<int:pk>/forslag/", views.proposal_create, name="proposal_create"),
    path("forslag/<int:pk>/", views.proposal_decide, name="proposal_decide"),
    path("<int:pk>/afbud/", views.absence_report, name="absence_report"),
    path("<int:pk>/fremmoede/", views.attendance, name="attendance"),
    path("<int:pk>/referat/", views.minutes, name="minutes"),
    path("<int:pk>/referat/godkend/", views.minutes_approve, name="minutes_approve"),
    path("<int:pk>/referat/offentliggoer/", views.minutes_publish, name="minutes_publish"),
    path("<int:pk>/referat/ny-version/", views.minutes_revise, name="minutes_revise"),
    path("<int:pk>/pdf/<str:kind>/", views.document, name="document"),
    path("<int:pk>/pdf-status/", views.documents_status, name="documents_status"),
    path("kalender/", views.calendar, name="calendar"),
    path("kalender/<str:token>.ics", public_views.calendar_feed, name="calendar_feed"),
    path("offentlig/", public_views.public_index, name="public_index"),
    path("offentlig/moede/<int:pk>/", public_views.public_meeting, name="public_meeting"),
    path("offentlig/moede/<int:pk>/<str:kind>.pdf", public_views.public_document, name="public_document"),
    path("offentlig/bilag/<int:pk>/", public_views.public_attachment, name="public_attachment"),
    path("offentlig/<slug:slug>/", public_views.public_council, name="public_council"),
    path("offentlig/<slug:slug>/kalender.ics", public_views.public_calendar, name="public_calendar"),
]
