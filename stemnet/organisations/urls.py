from django.urls import path

from stemnet.organisations import views

app_name = "organisations"
urlpatterns = [
    path("", views.organisation_list, name="organisation_list"),
    path("<slug:slug>/", views.organisation_detail, name="organisation_detail"),
]
