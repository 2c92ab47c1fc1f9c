from django.urls import re_path

from stemnet.places import views

app_name = "places"
urlpatterns = [
    re_path(r"^grenzen/(?P<vintage>\d{4})\.geojson$", views.boundaries, name="boundaries"),
]
