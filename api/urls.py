"""The API's URLs. Its operations run none of the pages' access chain (sessions, second factor,
terms): the public ones need nothing, the vendor ones authenticate their API key themselves."""

from django.urls import include, path

from api.main import api
from core.access import open_to_all

patterns, _app_name, namespace = api.urls
for pattern in patterns:
    open_to_all(pattern.callback)

urlpatterns = [path("v1/", include((patterns, namespace), namespace=namespace))]
