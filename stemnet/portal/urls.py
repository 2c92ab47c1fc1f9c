from django.urls import path

from stemnet.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("nieuws/", views.news_list, name="news_list"),
    path("nieuws/<slug:slug>/", views.news_detail, name="news_detail"),
    path("contact/", views.contact, name="contact"),
    path("privacy/", views.privacy, name="privacy"),
    path("toegankelijkheid/", views.accessibility, name="accessibility"),
    path("bronnen/", views.sources, name="sources"),
]
