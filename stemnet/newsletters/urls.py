from django.urls import path

from stemnet.newsletters import views_manage as manage
from stemnet.newsletters import views_public as public

app_name = "newsletters"

urlpatterns = [
    path("", public.signup, name="signup"),
    path("bevestigen/<str:token>/", public.confirm, name="confirm"),
    path("voorkeuren/<str:token>/", public.preferences, name="preferences"),
    path("afmelden/<str:token>/", public.unsubscribe, name="unsubscribe"),
    path("opnieuw/<str:token>/", public.resubscribe, name="resubscribe"),
    path("archief/", public.archive_list, name="archive_list"),
    path("archief/<int:pk>/", public.archive_detail, name="archive_detail"),
    path("beheer/", manage.issue_list, name="issue_list"),
    path("beheer/nieuw/", manage.issue_create, name="issue_create"),
    path("beheer/synchroniseren/", manage.subscriber_sync, name="subscriber_sync"),
    path("beheer/<int:pk>/", manage.issue_detail, name="issue_detail"),
    path("beheer/<int:pk>/bewerken/", manage.issue_edit, name="issue_edit"),
    path("beheer/<int:pk>/blok/", manage.block_add, name="block_add"),
    path(
        "beheer/blok/<int:pk>/<str:action>/",
        manage.block_action,
        name="block_action",
    ),
    path("beheer/<int:pk>/voorbeeld/", manage.issue_preview, name="issue_preview"),
    path("beheer/<int:pk>/test/", manage.issue_test_send, name="issue_test_send"),
    path("beheer/<int:pk>/voortgang/", manage.issue_progress, name="issue_progress"),
    path("beheer/<int:pk>/verzenden/<str:action>/", manage.issue_send, name="issue_send"),
]
