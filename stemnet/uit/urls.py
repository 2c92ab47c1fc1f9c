from django.urls import path

from stemnet.uit import views

app_name = "uit"
urlpatterns = [
    path("activiteiten/", views.sync_list, name="sync_list"),
    path("activiteiten/<int:pk>/opnieuw/", views.sync_retry, name="sync_retry"),
]
