from django.urls import path

from stemnet.agenda import views_manage as views

# Included under /agenda/beheer/ in the "agenda" namespace.
urlpatterns = [
    path("", views.manage_list, name="manage_list"),
    path("nieuw/", views.activity_create, name="activity_create"),
    path("<int:pk>/bewerken/", views.activity_edit, name="activity_edit"),
    path("<int:pk>/voorbeeld/", views.activity_preview, name="activity_preview"),
    path("<int:pk>/publiceren/", views.activity_publish, name="activity_publish"),
    path("<int:pk>/offline/", views.activity_unpublish, name="activity_unpublish"),
    path("<int:pk>/annuleren/", views.activity_cancel, name="activity_cancel"),
    path("<int:pk>/archiveren/", views.activity_archive, name="activity_archive"),
    path("<int:pk>/dupliceren/", views.activity_duplicate, name="activity_duplicate"),
    path("<int:pk>/sessies/", views.sessions, name="sessions"),
    path("import/", views.import_start, name="import_start"),
    path("import/sjabloon/", views.import_template, name="import_template"),
    path("import/<int:pk>/", views.import_job, name="import_job"),
    path("import/<int:pk>/bevestigen/", views.import_confirm, name="import_confirm"),
    path("api-sleutels/", views.api_tokens, name="api_tokens"),
    path("api-sleutels/<int:pk>/intrekken/", views.api_token_revoke, name="api_token_revoke"),
]
