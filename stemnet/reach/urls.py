from django.urls import path

from stemnet.reach import views

app_name = "reach"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("export.csv", views.export_csv, name="export_csv"),
    path("cijfers/", views.public_figures, name="public_figures"),
    path("mijn/", views.coordinator, name="coordinator"),
    path("mijn/activiteit/<int:pk>/", views.participation_entry, name="participation_entry"),
    path("mijn/opladen/", views.participation_upload, name="participation_upload"),
    path("mijn/sjabloon.<str:fmt>", views.participation_template, name="participation_template"),
    path("mijn/leerlingen/", views.school_reach_entry, name="school_reach"),
    path("geschiedenis/", views.history_upload, name="history_upload"),
]
