from django.urls import path

from . import term_views, views

app_name = "appointments"
urlpatterns = [
    path("", views.council_list, name="council_list"),
    path("ny/", term_views.council_new, name="council_new"),
    path("<int:pk>/", views.council_detail, name="council_detail"),
    path("<int:pk>/valgperiode/", term_views.term_change, name="term_change"),
    path("<int:pk>/valgperiode/brev.pdf", term_views.term_letter, name="term_letter"),
    path("<int:pk>/sammensaetning/", views.council_composition, name="council_composition"),
    path("<int:pk>/historik/", views.council_history, name="council_history"),
    path("<int:pk>/konstituering/", views.constituent, name="constituent"),
    path("<int:pk>/pladser/ny/", views.seat_add, name="seat_add"),
    path("<int:pk>/pladser/<int:number>/", views.seat_edit, name="seat_edit"),
    path("valg/<int:pk>/", views.election_detail, name="election_detail"),
    path("valg/<int:pk>/pdf/", views.election_pdf, name="election_pdf"),
    path("organer/", views.body_list, name="body_list"),
    path("organer/<int:pk>/", views.body_detail, name="body_detail"),
    path("poster/<int:pk>/", views.post_detail, name="post_detail"),
    path("udpegninger/", views.appointment_overview, name="appointment_overview"),
    path("udpegninger/eksport.<str:fmt>", views.appointment_export, name="appointment_export"),
    path("mine-udpegninger/", views.my_appointments, name="my_appointments"),
]
