from django.urls import path

from stemnet.scoring import views

app_name = "scoring"
urlpatterns = [
    path("", views.assignment_list, name="assignment_list"),
    path("toewijzing/<int:pk>/", views.assignment_score, name="assignment_score"),
    path("toewijzing/<int:pk>/verklaring/", views.assignment_declare, name="assignment_declare"),
    path("panel/<int:pk>/toewijzen/", views.panel_assign, name="panel_assign"),
    path("panel/<int:pk>/audit/", views.panel_audit, name="panel_audit"),
    path("panel/<int:pk>/consensus/", views.panel_consensus, name="panel_consensus"),
]
