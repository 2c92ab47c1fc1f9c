from django.urls import include, path

app_name = "agenda"
urlpatterns = [
    path("beheer/", include("stemnet.agenda.urls_manage")),
    path("", include("stemnet.agenda.urls_public")),
]
