from django.urls import path

from stemnet.accounts import views

app_name = "accounts"
urlpatterns = [
    path("", views.profile, name="profile"),
    path("gegevens/", views.data_export, name="data_export"),
    path("verwijderen/", views.delete, name="delete"),
]
