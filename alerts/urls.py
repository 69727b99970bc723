"""Following by email (alerts/views.py); under the language prefix, so the pages
and the mails come in the language the reader followed from."""

from django.urls import path

from . import views

app_name = "alerts"

urlpatterns = [
    path("alerts/follow/", views.FollowView.as_view(), name="follow"),
    path("alerts/follow/sent/", views.RequestedView.as_view(), name="requested"),
    path("alerts/confirm/<str:token>/", views.ConfirmView.as_view(), name="confirm"),
    path("alerts/manage/", views.ManageLinkView.as_view(), name="manage-link"),
    path("alerts/manage/<str:token>/", views.ManageView.as_view(), name="manage"),
    path("alerts/unsubscribe/<str:token>/", views.UnsubscribeView.as_view(), name="unsubscribe"),
]
