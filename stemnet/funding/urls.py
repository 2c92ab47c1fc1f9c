from django.urls import path

from stemnet.funding import views, views_manage

app_name = "funding"
urlpatterns = [
    path("", views.round_list, name="round_list"),
    path("resultaten/", views.results, name="results"),
    path("ronde/<int:pk>/", views.round_detail, name="round_detail"),
    path("ronde/<int:pk>/aanvragen/", views.application_start, name="application_start"),
    path("mijn-aanvragen/", views.application_mine, name="application_mine"),
    path("aanvraag/<int:pk>/", views.application_detail, name="application_detail"),
    path("aanvraag/<int:pk>/bewerken/", views.application_edit, name="application_edit"),
    path("aanvraag/<int:pk>/partner/", views.partner_add, name="partner_add"),
    path("aanvraag/<int:pk>/budget/", views.budget_line_add, name="budget_line_add"),
    path("aanvraag/<int:pk>/bijlage/", views.attachment_add, name="attachment_add"),
    path("aanvraag/<int:pk>/indienen/", views.application_submit, name="application_submit"),
    path("aanvraag/<int:pk>/intrekken/", views.application_withdraw, name="application_withdraw"),
    path("aanvraag/<int:pk>/ontvangstbewijs.pdf", views.application_receipt, name="receipt"),
    path("aanvraag/<int:pk>/beslissing.pdf", views.decision_letter, name="decision_letter"),
    path("aanvraag/<int:pk>/lezen/", views.application_review, name="application_review"),
    path("partner/<int:pk>/verwijderen/", views.partner_remove, name="partner_remove"),
    path("budget/<int:pk>/verwijderen/", views.budget_line_remove, name="budget_line_remove"),
    path("bijlage/<int:pk>/", views.attachment_download, name="attachment_download"),
    path("bijlage/<int:pk>/verwijderen/", views.attachment_remove, name="attachment_remove"),
    path("vraag/<int:pk>/antwoord/", views.info_request_answer, name="info_request_answer"),
    path("rapport/<int:pk>/", views.report_edit, name="report_edit"),
    # Programme officers
    path("beheer/", views_manage.round_list, name="manage_rounds"),
    path("beheer/ronde/<int:pk>/", views_manage.round_detail, name="manage_round"),
    path("beheer/ronde/<int:pk>/export.xlsx", views_manage.round_export, name="manage_export"),
    path(
        "beheer/ronde/<int:pk>/beoordeling-openen/",
        views_manage.review_open,
        name="manage_review_open",
    ),
    path("beheer/aanvraag/<int:pk>/", views_manage.application_manage, name="manage_application"),
    path(
        "beheer/aanvraag/<int:pk>/ontvankelijkheid/",
        views_manage.eligibility_record,
        name="manage_eligibility",
    ),
    path(
        "beheer/aanvraag/<int:pk>/vraag/", views_manage.info_request_create, name="manage_question"
    ),
    path(
        "beheer/aanvraag/<int:pk>/beoordelaar/",
        views_manage.assignment_create,
        name="manage_assign",
    ),
    path(
        "beheer/aanvraag/<int:pk>/beslissing/", views_manage.decision_record, name="manage_decide"
    ),
    path(
        "beheer/schijf/<int:pk>/<str:action>/",
        views_manage.tranche_action,
        name="manage_tranche",
    ),
    path(
        "beheer/erkenning/<int:pk>/hernieuwen/",
        views_manage.recognition_renew,
        name="manage_recognition_renew",
    ),
    path("beheer/rapport/<int:pk>/<str:action>/", views_manage.report_action, name="manage_report"),
]
