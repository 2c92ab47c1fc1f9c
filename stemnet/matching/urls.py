from django.urls import path

from stemnet.matching import views

app_name = "matching"

urlpatterns = [
    path("", views.intake, name="intake"),
    path("volg/<str:token>/", views.follow, name="follow"),
    path("cijfers/", views.figures_public, name="figures"),
    path("beheer/", views.queue, name="queue"),
    path("beheer/<int:pk>/", views.request_detail, name="request_detail"),
    path("beheer/<int:pk>/status/", views.request_status, name="request_status"),
    path("beheer/<int:pk>/eigenaar/", views.request_owner, name="request_owner"),
    path("beheer/<int:pk>/notitie/", views.request_note, name="request_note"),
    path("beheer/<int:pk>/voorstellen/", views.request_suggest, name="request_suggest"),
    path("beheer/<int:pk>/vergrendel/", views.request_lock, name="request_lock"),
    path("beheer/<int:pk>/voorstellen-aan/", views.request_introduce, name="request_introduce"),
    path("beheer/<int:pk>/opvolging/", views.request_follow_up, name="request_follow_up"),
    path("introducties/", views.introductions, name="introductions"),
    path("introducties/<int:pk>/antwoord/", views.introduction_answer, name="introduction_answer"),
]
