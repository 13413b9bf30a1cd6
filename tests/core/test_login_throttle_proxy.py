"""The client address: X-Forwarded-For is believed only behind our proxy, and then only its
last entry (the one the proxy appended)."""

from __future__ import annotations

from django.test import RequestFactory

from kehu.core.throttle import client_address


def request(**meta):
    return RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", **meta)


def test_forwarded_for_ignored_without_proxy(settings):
    settings.KEHU_BEHIND_PROXY = False
    assert client_address(request(HTTP_X_FORWARDED_FOR="203.0.113.5")) == "10.0.0.2"


def test_proxy_last_entry_is_the_client(settings):
    settings.KEHU_BEHIND_PROXY = True
    forged = request(HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.5")
    assert client_address(forged) == "203.0.113.5"
    assert client_address(request()) == "10.0.0.2"


def test_garbage_address_is_no_address(settings):
    settings.KEHU_BEHIND_PROXY = True
    assert client_address(request(HTTP_X_FORWARDED_FOR="not-an-ip")) == ""


def test_ipv6_counted_by_its_64_network(settings):
    settings.KEHU_BEHIND_PROXY = False
    one = RequestFactory().get("/", REMOTE_ADDR="2001:db8:1:2::1")
    other = RequestFactory().get("/", REMOTE_ADDR="2001:db8:1:2:ffff::9")
    assert client_address(one) == client_address(other) == "2001:db8:1:2::/64"
    mapped = RequestFactory().get("/", REMOTE_ADDR="::ffff:203.0.113.5")
    assert client_address(mapped) == "203.0.113.5"
