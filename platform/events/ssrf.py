"""The SSRF guard for outbound calls (webhooks now, recipe HTTP actions later).

A URL is checked when it is saved, and every connection is checked again at delivery time, after
DNS, on the address we actually connect to (so DNS rebinding cannot slip past the first check).
Refused: loopback, private, link-local, carrier-grade NAT, multicast, reserved and other
non-global addresses, unless inside `outbound_allowed_networks` (development); cloud metadata
addresses always. Production requires https.
"""
from __future__ import annotations

import ipaddress
import socket
from http.cookiejar import CookieJar, DefaultCookiePolicy
from urllib.parse import urlsplit

import httpcore
import httpx

from ..settings import Settings

METADATA_ADDRESSES = frozenset(ipaddress.ip_address(a) for a in (
    "169.254.169.254", "169.254.170.2", "100.100.100.200", "fd00:ec2::254"))
CGNAT = ipaddress.ip_network("100.64.0.0/10")
NAT64 = ipaddress.ip_network("64:ff9b::/96")


class UnsafeURLError(Exception):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code, self.message = code, message


def _embedded_ipv4(ip):
    """IPv6 forms that carry an IPv4 address: mapped, 6to4 and NAT64."""
    if ip.version != 6:
        return None
    if ip.ipv4_mapped or ip.sixtofour:
        return ip.ipv4_mapped or ip.sixtofour
    if ip in NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def _kind(ip) -> str | None:
    checks = (
        ("loopback", ip.is_loopback),
        ("link-local", ip.is_link_local),
        ("multicast", ip.is_multicast),
        ("carrier-grade NAT", ip.version == 4 and ip in CGNAT),
        ("unspecified", ip.is_unspecified),
        ("private", ip.is_private),
        ("reserved", ip.is_reserved),
        ("non-global", not ip.is_global),
    )
    return next((name for name, refused in checks if refused), None)


def address_problem(address: str, settings: Settings) -> str | None:
    """Why we must not connect to `address`, or None when it is fine."""
    ip = ipaddress.ip_address(address.split("%")[0])
    embedded = _embedded_ipv4(ip)
    candidates = [ip, embedded] if embedded else [ip]
    if any(candidate in METADATA_ADDRESSES for candidate in candidates):
        return f"{address} (cloud metadata)"
    allowed = [ipaddress.ip_network(n, strict=False) for n in settings.outbound_allowed_networks]
    if any(ip in network for network in allowed):
        return None
    for candidate in candidates:
        kind = _kind(candidate)
        if kind:
            return f"{address} ({kind})"
    return None


def resolve(host: str, port: int) -> list[str]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise UnsafeURLError("url_unresolvable", f"The host '{host}' does not resolve.") from None
    return list(dict.fromkeys(info[4][0] for info in infos))


def check_addresses(host: str, port: int, settings: Settings) -> list[str]:
    """The host's addresses, when every one of them is allowed."""
    addresses = resolve(host, port)
    for address in addresses:
        problem = address_problem(address, settings)
        if problem:
            raise UnsafeURLError("url_not_allowed", f"'{host}' resolves to {problem}, which "
                                                    "outbound calls may not reach.")
    return addresses


def check_url(url: str, settings: Settings) -> str:
    """The URL, if we may send webhooks to it; else UnsafeURLError with a stable code."""
    try:
        parts = urlsplit(url)
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise UnsafeURLError("invalid_url", "Not a valid URL.") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UnsafeURLError("invalid_url", "Give an absolute http(s) URL, e.g. "
                                            "https://example.com/webhooks.")
    if settings.is_production and parts.scheme != "https":
        raise UnsafeURLError("url_not_https", "Webhook URLs must use https.")
    if parts.username or parts.password:
        raise UnsafeURLError("invalid_url", "Credentials in the URL are not supported; verify "
                                            "our signature instead.")
    check_addresses(parts.hostname, port, settings)
    return url


class GuardedBackend(httpcore.SyncBackend):
    """Resolves, checks and connects to an allowed address; refuses the connection otherwise."""

    def __init__(self, settings: Settings):
        self.settings = settings

    def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        address = check_addresses(host, port, self.settings)[0]
        return super().connect_tcp(address, port, timeout, local_address, socket_options)


class GuardedTransport(httpx.HTTPTransport):
    """httpx's transport, with the pool connecting through GuardedBackend (no proxies)."""

    def __init__(self, settings: Settings, limits: httpx.Limits):
        super().__init__(limits=limits, trust_env=False)
        # httpx does not take a network backend; this swaps only the pool's (httpx 0.28).
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(), max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry, network_backend=GuardedBackend(settings))


def guarded_client(settings: Settings, max_connections: int) -> httpx.Client:
    """No redirects, no proxies from the environment, and no cookies kept between requests."""
    limits = httpx.Limits(max_connections=max_connections,
                          max_keepalive_connections=max_connections)
    no_cookies = CookieJar(policy=DefaultCookiePolicy(allowed_domains=[]))
    return httpx.Client(transport=GuardedTransport(settings, limits), follow_redirects=False,
                        timeout=settings.webhook_timeout_seconds, trust_env=False,
                        cookies=no_cookies)
