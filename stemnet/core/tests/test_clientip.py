"""The client address that rate limits count: the forwarded one only from a trusted proxy."""

import pytest
from django.test import RequestFactory

from stemnet.core.clientip import client_ip


def _request(remote, forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_without_trusted_proxies_the_header_is_ignored(settings):
    settings.TRUSTED_PROXIES = []
    assert client_ip(_request("198.51.100.7", "203.0.113.5")) == "198.51.100.7"


def test_from_an_untrusted_address_the_header_is_ignored(settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    assert client_ip(_request("198.51.100.7", "203.0.113.5")) == "198.51.100.7"


def test_a_trusted_proxy_names_the_client(settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    assert client_ip(_request("127.0.0.1", "203.0.113.5")) == "203.0.113.5"


def test_a_client_cannot_choose_its_address_by_sending_the_header_itself(settings):
    """The proxy appends the real address: only the rightmost untrusted hop counts."""
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    assert client_ip(_request("127.0.0.1", "1.2.3.4, 203.0.113.5")) == "203.0.113.5"


def test_a_chain_of_trusted_proxies_and_networks(settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1", "10.0.0.0/8", "::1"]
    assert client_ip(_request("127.0.0.1", "203.0.113.5, 10.1.2.3")) == "203.0.113.5"
    assert client_ip(_request("::1", "2001:db8::1")) == "2001:db8::1"
    assert client_ip(_request("127.0.0.1", "[2001:db8::2]:443")) == "2001:db8::2"
    assert client_ip(_request("127.0.0.1", "203.0.113.6:51000")) == "203.0.113.6"


@pytest.mark.parametrize("header", ["", "not-an-address", " , "])
def test_an_empty_or_unreadable_header_counts_the_proxy(settings, header):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    assert client_ip(_request("127.0.0.1", header)) == "127.0.0.1"
