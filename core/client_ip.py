"""The address of the person behind a request: the one function every address-keyed rule uses.

The login lockout (django-axes, through ``AXES_CLIENT_IP_CALLABLE``), the per-account login
throttle and the public verification rate limit all call :func:`client_ip_address`, so a person
has one address everywhere.

``TRUSTED_PROXY_COUNT`` (environment: ``DJANGO_TRUSTED_PROXY_COUNT``) is the number of reverse
proxies between the Internet and the application that each *append* the address they received the
request from to ``X-Forwarded-For`` (nginx's ``$proxy_add_x_forwarded_for``, Traefik, cloud load
balancers). With N such proxies the last N entries of the header were written by them: the N-th
from the right is the client as the outermost proxy saw it; everything to its left came from the
client and may be forged. So:

- N = 0 (the default, the application faces clients directly): ``REMOTE_ADDR``; the header is
  ignored whatever it says;
- N = 1 (one nginx): the right-most entry;
- N = 2 (a load balancer, then nginx): the second entry from the right; and so on.

A header shorter than N, or an entry that is not an IP address, means the request did not come
through the proxies as configured: ``REMOTE_ADDR`` is used rather than anything the client wrote.
"""

import ipaddress

from django.conf import settings


def client_ip_address(request) -> str:
    remote_addr = request.META.get("REMOTE_ADDR", "")
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote_addr
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < count:
        return remote_addr
    try:
        return str(ipaddress.ip_address(forwarded[-count]))
    except ValueError:
        return remote_addr
