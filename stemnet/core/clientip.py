"""The client's address, as rate limits and the contact form count it.

Behind a TLS proxy every request comes from the proxy's address, so limits keyed on
``REMOTE_ADDR`` would lock every user out together. The ``X-Forwarded-For`` header names the
client, but anyone can send one: it is read only when the request comes from an address in
``settings.TRUSTED_PROXIES``, and then from the right, skipping the trusted proxies, so a
client cannot choose the address it is counted under.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)


def _parse(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    value = value.strip()
    if value.startswith("[") and "]" in value:  # [IPv6]:port
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # IPv4:port
        value = value.split(":", 1)[0]
    try:
        return ipaddress.ip_address(value)
    except ValueError:
        return None


def is_trusted_proxy(address) -> bool:
    networks = _networks(tuple(getattr(settings, "TRUSTED_PROXIES", ())))
    return address is not None and any(address in network for network in networks)


def client_ip(request) -> str:
    """The address of the client that sent ``request`` (see the module's docstring)."""
    remote = request.META.get("REMOTE_ADDR", "")
    address = _parse(remote)
    if not is_trusted_proxy(address):
        return remote
    hops = [h for h in request.headers.get("X-Forwarded-For", "").split(",") if h.strip()]
    for hop in reversed(hops):
        hop_address = _parse(hop)
        if hop_address is None:
            break  # the proxy wrote something unreadable: count the proxy itself
        address = hop_address
        if not is_trusted_proxy(address):
            break
    return str(address)
