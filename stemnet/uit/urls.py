app_name = "uit"
urlpatterns: list = []
