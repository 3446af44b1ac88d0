from django.urls import path

from . import views

app_name = "evaluations"
urlpatterns = [
    path("svar/<str:token>/", views.respond, name="respond"),
]
