from django.urls import path

from review.subscriptions import views

app_name = "subscriptions"

urlpatterns = [
    path("", views.subscriber_list, name="list"),
]
