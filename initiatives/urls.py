from django.urls import path  # noqa: F401  (routes arrive with the public site)

app_name = "initiatives"

urlpatterns = []
