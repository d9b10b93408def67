"""Static files under development settings (the tests' own): looked up when asked for, not listed
each time a request handler is built (every new test client builds one; listing the finders' files
cost 0.3 s each time). Production lists them once per process (``DEBUG`` off)."""

from django.conf import settings
from whitenoise.middleware import WhiteNoiseMiddleware


def test_building_a_handler_lists_no_static_file():
    middleware = WhiteNoiseMiddleware(lambda request: None)
    assert middleware.autorefresh and middleware.files == {}


def test_a_static_file_is_still_served_when_asked_for(client):
    response = client.get(f"{settings.STATIC_URL}css/convergence.css")
    assert response.status_code == 200
    assert b"".join(response.streaming_content).strip()
    assert client.get(f"{settings.STATIC_URL}css/absent.css").status_code == 404
