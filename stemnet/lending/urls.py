from django.urls import path

from stemnet.lending import views_manage as manage
from stemnet.lending import views_public as public

app_name = "lending"
urlpatterns = [
    path("", public.item_list, name="item_list"),
    path("materiaal/<int:pk>/", public.item_detail, name="item_detail"),
    path("materiaal/<int:pk>/reserveren/", public.loan_request, name="loan_request"),
    path("mijn/", public.loan_mine, name="loan_mine"),
    path("mijn/<slug:slug>.ics", public.loan_ical, name="loan_ical"),
    path("uitlening/<int:pk>/", public.loan_detail, name="loan_detail"),
    path("uitlening/<int:pk>/annuleren/", public.loan_cancel, name="loan_cancel"),
    path("uitlening/<int:pk>/activiteit/", public.loan_link_activity, name="loan_link_activity"),
    path("lab/<int:pk>/boeken/", public.lab_book, name="lab_book"),
    path("lab/boeking/<int:pk>/annuleren/", public.lab_booking_cancel, name="lab_booking_cancel"),
    # The hub's staff
    path("hub/<slug:slug>/", manage.hub_manage, name="hub_manage"),
    path("hub/<slug:slug>/kalender/", manage.hub_calendar, name="hub_calendar"),
    path("hub/<slug:slug>/materiaal/nieuw/", manage.item_create, name="item_create"),
    path("hub/<slug:slug>/lab/nieuw/", manage.lab_session_create, name="lab_session_create"),
    path("materiaal/<int:pk>/bewerken/", manage.item_edit, name="item_edit"),
    path("uitlening/<int:pk>/goedkeuren/", manage.loan_approve, name="loan_approve"),
    path("uitlening/<int:pk>/weigeren/", manage.loan_refuse, name="loan_refuse"),
    path("uitlening/<int:pk>/meegeven/", manage.loan_hand_out, name="loan_hand_out"),
    path("uitlening/<int:pk>/terugnemen/", manage.loan_take_back, name="loan_take_back"),
    path("exemplaar/<int:pk>/hersteld/", manage.unit_repair, name="unit_repair"),
]
