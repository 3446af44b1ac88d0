from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login, name="login"),
    path("logout/", views.logout, name="logout"),
    path("totp/", views.otp, name="otp"),
    path("adgangskode/", views.password_reset, name="password_reset"),
    path("adgangskode/sendt/", views.password_reset_done, name="password_reset_done"),
    path("adgangskode/<uidb64>/<token>/", views.password_reset_confirm, name="password_reset_confirm"),
    path("adgangskode/faerdig/", views.password_reset_complete, name="password_reset_complete"),
]
