"""The SSRF guard refuses internal addresses when a URL is saved and again when we connect."""
from __future__ import annotations

import pytest

from markethub.platform.events import ssrf
from markethub.platform.settings import Settings


@pytest.fixture
def settings():
    return Settings(_env_file=None)


@pytest.mark.parametrize("address, kind", [
    ("127.0.0.1", "loopback"), ("::1", "loopback"), ("10.1.2.3", "private"),
    ("172.16.0.9", "private"), ("192.168.1.1", "private"), ("169.254.1.1", "link-local"),
    ("fe80::1", "link-local"), ("100.64.0.1", "carrier-grade NAT"), ("224.0.0.251", "multicast"),
    ("ff02::1", "multicast"), ("0.0.0.0", "unspecified"), ("fd12:3456::1", "private"),
    ("169.254.169.254", "cloud metadata"), ("fd00:ec2::254", "cloud metadata"),
    ("::ffff:10.0.0.1", "private"), ("::ffff:169.254.169.254", "cloud metadata"),
    ("2002:a00:1::", "private"), ("64:ff9b::a00:1", "reserved"),
])
def test_internal_addresses_are_refused(settings, address, kind):
    assert ssrf.address_problem(address, settings) == f"{address} ({kind})"


@pytest.mark.parametrize("address", ["8.8.8.8", "200.147.67.142", "2606:4700:4700::1111"])
def test_public_addresses_pass(settings, address):
    assert ssrf.address_problem(address, settings) is None


def test_the_allow_list_opens_only_what_it_lists():
    settings = Settings(_env_file=None, outbound_allowed_networks=["127.0.0.1/32", "10.0.0.0/8"])
    assert ssrf.address_problem("127.0.0.1", settings) is None
    assert ssrf.address_problem("10.9.9.9", settings) is None
    assert ssrf.address_problem("127.0.0.2", settings) == "127.0.0.2 (loopback)"
    assert ssrf.address_problem("192.168.0.1", settings) == "192.168.0.1 (private)"


def test_metadata_addresses_stay_refused_even_when_allow_listed():
    settings = Settings(_env_file=None, outbound_allowed_networks=["169.254.0.0/16"])
    assert ssrf.address_problem("169.254.169.254", settings) == "169.254.169.254 (cloud metadata)"


@pytest.mark.parametrize("url, code", [
    ("http://localhost:9/hook", "url_not_allowed"),
    ("http://[::1]/hook", "url_not_allowed"),
    ("http://169.254.169.254/latest/meta-data/", "url_not_allowed"),
    ("ftp://example.com/x", "invalid_url"),
    ("/relative/path", "invalid_url"),
    ("https://user:pass@8.8.8.8/hook", "invalid_url"),
    ("https://no-such-host.invalid/hook", "url_unresolvable"),
    ("http://8.8.8.8:99999/hook", "invalid_url"),
])
def test_urls_refused_with_a_stable_code(settings, url, code):
    with pytest.raises(ssrf.UnsafeURLError) as refused:
        ssrf.check_url(url, settings)
    assert refused.value.code == code


def test_production_requires_https():
    settings = Settings(_env_file=None, env="production", secret_key="s" * 40,
                        jwt_secret="j" * 40,
                        encryption_key="MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=")
    with pytest.raises(ssrf.UnsafeURLError) as refused:
        ssrf.check_url("http://8.8.8.8/hook", settings)
    assert refused.value.code == "url_not_https"
    assert ssrf.check_url("https://8.8.8.8/hook", settings) == "https://8.8.8.8/hook"


def test_the_guarded_client_refuses_to_connect_after_dns(settings):
    with ssrf.guarded_client(settings, 1) as client:
        with pytest.raises(ssrf.UnsafeURLError, match="'localhost' resolves to"):
            client.post("http://localhost:9/hook", content=b"{}")


def test_the_client_keeps_no_cookies_between_requests(receiver):
    from webhook_receiver import Answer

    settings = Settings(_env_file=None, outbound_allowed_networks=["127.0.0.1/32"])
    receiver.script("/hook", Answer(headers={"Set-Cookie": "session=abc; Path=/"}))
    with ssrf.guarded_client(settings, 1) as client:
        client.post(receiver.url(), content=b"{}")
        client.post(receiver.url(), content=b"{}")
    assert "cookie" not in receiver.received()[1].headers
