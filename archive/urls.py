from django.urls import path

from . import views

app_name = "archive"
urlpatterns = [
    path("", views.search, name="search"),
    path("beslutninger/<slug:slug>/", views.register, name="register"),
    path("beslutninger/punkt/<int:pk>/opfoelgning/", views.follow_up, name="follow_up"),
]
