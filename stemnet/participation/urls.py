from django.urls import path

from stemnet.participation import views, views_live, views_manage

app_name = "participation"
urlpatterns = [
    path("", views.consultation_list, name="consultation_list"),
    path("doe-mee/", views.join_code, name="join_code"),
    path("doe-mee/<str:code>/", views.participant_join, name="participant_join"),
    path("<int:pk>/", views.consultation_detail, name="consultation_detail"),
    path("<int:pk>/resultaten/", views.results, name="results"),
    path("thema/<int:pk>/idee/", views.idea_create, name="idea_create"),
    path("idee/<int:pk>/", views.idea_detail, name="idea_detail"),
    path("idee/<int:pk>/afbeelding/", views.image, name="idea_image"),
    path("idee/<int:pk>/stem/", views.vote, name="vote"),
    path("idee/<int:pk>/steun/", views.support, name="support"),
    path("idee/<int:pk>/reactie/", views.comment, name="comment"),
    path("idee/<int:pk>/suggestie/", views.suggestion, name="suggestion"),
    path("suggestie/<int:pk>/aanvaarden/", views.suggestion_accept, name="suggestion_accept"),
    path("suggestie/<int:pk>/afwijzen/", views.suggestion_decline, name="suggestion_decline"),
    # the live room
    path("zaal/<str:code>/", views_live.live_phone, name="live_phone"),
    path("zaal/<str:code>/stand/", views_live.live_phone_state, name="live_phone_state"),
    path("<int:pk>/projector/", views_live.projector, name="projector"),
    path("<int:pk>/projector/stand/", views_live.projector_state, name="projector_state"),
    path("<int:pk>/projector/ga-naar/", views_live.live_move, name="live_move"),
    path("<int:pk>/projector/timer/", views_live.live_timer, name="live_timer"),
    path("<int:pk>/qr.svg", views_live.join_qr, name="join_qr"),
    # moderators (VLAIO staff)
    path("beheer/", views_manage.manage_list, name="manage_list"),
    path("beheer/nieuw/", views_manage.consultation_create, name="consultation_create"),
    path("beheer/<int:pk>/", views_manage.consultation_moderate, name="consultation_moderate"),
    path("beheer/<int:pk>/bewerken/", views_manage.consultation_edit, name="consultation_edit"),
    path("beheer/<int:pk>/resultaten.xlsx", views_manage.results_xlsx, name="results_xlsx"),
    path("beheer/<int:pk>/resultaten.pdf", views_manage.results_pdf, name="results_pdf"),
    path("beheer/idee/<int:pk>/verbergen/", views_manage.idea_hide, name="idea_hide"),
    path("beheer/idee/<int:pk>/tonen/", views_manage.idea_show, name="idea_show"),
    path("beheer/idee/<int:pk>/samenvoegen/", views_manage.idea_merge, name="idea_merge"),
    path("beheer/idee/<int:pk>/antwoord/", views_manage.idea_answer, name="idea_answer"),
    path("beheer/idee/<int:pk>/koppeling/", views_manage.idea_link, name="idea_link"),
    # needs surveys
    path("enquetes/", views_manage.survey_list, name="survey_list"),
    path("enquetes/nieuw/", views_manage.survey_create, name="survey_create"),
    path("enquetes/<int:pk>/resultaten/", views_manage.survey_results, name="survey_results"),
    path("enquetes/<int:pk>/<slug:slug>/", views_manage.survey_answer, name="survey_answer"),
]
