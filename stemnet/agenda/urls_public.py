from django.urls import path

from stemnet.agenda import views_public

urlpatterns = [
    path("", views_public.activity_list, name="activity_list"),
    path("feed.ics", views_public.search_ical, name="search_ical"),
    path("<int:pk>.ics", views_public.activity_ical, name="activity_ical"),
    path("<int:pk>/", views_public.activity_detail, name="activity_detail_short"),
    path("<int:pk>-<slug:slug>/", views_public.activity_detail, name="activity_detail"),
]
