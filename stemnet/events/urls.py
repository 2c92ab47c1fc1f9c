from django.urls import path

from stemnet.events import views, views_manage

app_name = "events"

urlpatterns = [
    path("", views.event_list, name="event_list"),
    path("agenda.ics", views.events_ical, name="events_ical"),
    path("mijn/", views.registration_mine, name="registration_mine"),
    path("beheer/", views_manage.event_manage_list, name="event_manage_list"),
    path("inschrijving/<int:pk>/annuleren/", views.registration_cancel, name="registration_cancel"),
    path(
        "inschrijving/<int:pk>/aanvaarden/", views.registration_accept, name="registration_accept"
    ),
    path("inschrijving/<int:pk>/qr.svg", views.registration_qr, name="registration_qr"),
    path(
        "inschrijving/<int:pk>/attest.pdf",
        views.registration_certificate,
        name="registration_certificate",
    ),
    path(
        "inschrijving/<int:pk>/feedback/", views.registration_feedback, name="registration_feedback"
    ),
    path("<slug:slug>/", views.event_detail, name="event_detail"),
    path("<slug:slug>/event.ics", views.event_ical, name="event_ical"),
    path("<slug:slug>/inschrijven/", views.event_register, name="event_register"),
    path("<slug:slug>/groep/", views.event_register_group, name="event_register_group"),
    path("<slug:slug>/stand/", views.stand_book, name="stand_book"),
    path("<slug:slug>/deelnemers/", views_manage.event_participants, name="event_participants"),
    path("<slug:slug>/deelnemers.xlsx", views_manage.event_export, name="event_export"),
    path("<slug:slug>/noden/", views_manage.need_capture, name="need_capture"),
    path("<slug:slug>/check-in/", views_manage.event_checkin, name="event_checkin"),
    path("<slug:slug>/check-in/sync/", views_manage.event_checkin_sync, name="event_checkin_sync"),
]
