from django.urls import path

from stemnet.stempact import views, views_award, views_staff

app_name = "stempact"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("cohort/<int:pk>/aanmelden/", views.apply, name="apply"),
    path("school/<int:pk>/", views.trajectory_detail, name="trajectory_detail"),
    path(
        "school/<int:pk>/<str:kind>/uitnodigen/",
        views.respondent_invite,
        name="respondent_invite",
    ),
    path(
        "school/<int:pk>/<str:kind>/herinneren/", views.trajectory_remind, name="trajectory_remind"
    ),
    path("school/<int:pk>/actie/", views.action_save, name="action_create"),
    path("school/<int:pk>/actie/<int:action_pk>/", views.action_save, name="action_update"),
    path("school/<int:pk>/reactie/", views.comment_add, name="comment_add"),
    path("vragenlijst/<str:token>/", views.survey, name="survey"),
    # programme staff
    path("beheer/", views_staff.cohort_list, name="cohort_list"),
    path("beheer/<int:pk>/", views_staff.cohort_detail, name="cohort_detail"),
    path("beheer/<int:pk>/bewaren/", views_staff.cohort_update, name="cohort_update"),
    path("beheer/<int:pk>/export.xlsx", views_staff.cohort_export, name="cohort_export"),
    path(
        "beheer/<int:pk>/vragen/<str:aspect>/",
        views_staff.questionnaire_edit,
        name="questionnaire_edit",
    ),
    path(
        "beheer/<int:pk>/<str:kind>/openen/", views_staff.measurement_open, name="measurement_open"
    ),
    path(
        "beheer/<int:pk>/<str:kind>/herinneren/",
        views_staff.respondents_remind,
        name="respondents_remind",
    ),
    path("beheer/<int:pk>/netwerk/", views_staff.network_create, name="network_create"),
    path(
        "beheer/aanmelding/<int:pk>/beslissen/",
        views_staff.trajectory_decide,
        name="trajectory_decide",
    ),
    path(
        "beheer/netwerk/<int:pk>/aanwezig/",
        views_staff.network_attendance,
        name="network_attendance",
    ),
    path("beheer/<int:pk>/koppeling/", views_award.pairing_overview, name="pairing"),
    path("beheer/<int:pk>/koppeling/bedrijf/", views_award.offer_save, name="offer_save"),
    path("beheer/<int:pk>/koppeling/berekenen/", views_award.pairing_run, name="pairing_run"),
    path(
        "beheer/<int:pk>/koppeling/voorstellen/",
        views_award.introductions_send,
        name="introductions_send",
    ),
    path("beheer/aanmelding/<int:pk>/koppeling/", views_award.pairing_lock, name="pairing_lock"),
    path("beheer/<int:pk>/award/", views_award.award_overview, name="award"),
    path("beheer/aanmelding/<int:pk>/genomineerd/", views_award.nominee_set, name="nominee_set"),
    path("beheer/aanmelding/<int:pk>/winnaar/", views_award.winner_publish, name="winner_publish"),
    path("school/<int:pk>/award/", views_award.award_enter, name="award_enter"),
    path("dossier/<int:pk>/", views_award.award_dossier, name="award_dossier"),
    path("award/", views_award.winners, name="winners"),
]
