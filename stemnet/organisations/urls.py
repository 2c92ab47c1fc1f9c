from django.urls import path

from stemnet.organisations import views

app_name = "organisations"
urlpatterns = [
    path("", views.organisation_list, name="organisation_list"),
    path("uitnodiging/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("<slug:slug>/", views.organisation_detail, name="organisation_detail"),
    path("<slug:slug>/bewerken/", views.organisation_edit, name="organisation_edit"),
    path("<slug:slug>/leden/", views.membership_list, name="membership_list"),
    path("<slug:slug>/leden/uitnodigen/", views.invitation_create, name="invitation_create"),
    path(
        "<slug:slug>/leden/<int:pk>/rol/",
        views.membership_change_role,
        name="membership_change_role",
    ),
    path(
        "<slug:slug>/leden/<int:pk>/verwijderen/",
        views.membership_remove,
        name="membership_remove",
    ),
    path(
        "<slug:slug>/uitnodigingen/<int:pk>/intrekken/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
    path("<slug:slug>/partners/", views.partnershipmember_list, name="partnershipmember_list"),
    path(
        "<slug:slug>/partners/<int:pk>/verwijderen/",
        views.partnershipmember_remove,
        name="partnershipmember_remove",
    ),
]
