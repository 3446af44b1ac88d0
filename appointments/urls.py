from django.urls import path

from . import views

app_name = "appointments"
urlpatterns = [
    path("", views.council_list, name="council_list"),
    path("<int:pk>/", views.council_detail, name="council_detail"),
]
