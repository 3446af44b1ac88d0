from django.urls import path

from . import views

app_name = "meetings"
urlpatterns = [
    path("<int:pk>/", views.detail, name="detail"),
    path("kkr/<int:pk>/", views.detail, name="plan"),
]
