"""Who the client is behind a reverse proxy.

Behind nginx or a load balancer every request comes from the proxy's address, so sign-in
throttling per address would lock everyone out together.  The proxy says who its client was in
``X-Forwarded-For`` (and the scheme in ``X-Forwarded-Proto``), but anyone can send those headers:
they are believed only from the addresses of ``EXPERTBRIDGE_TRUSTED_PROXIES``, and only as far back
as the chain of trusted proxies goes.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Sequence

from starlette.types import ASGIApp, Receive, Scope, Send

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def _parse(address: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(address.strip().strip("[]"))
    except ValueError:
        return None


def is_trusted(address: str, networks: Sequence[Network]) -> bool:
    """Whether ``address`` belongs to one of the trusted proxies' networks."""
    parsed = _parse(address)
    return parsed is not None and any(parsed in network for network in networks)


def client_address(peer: str, forwarded_for: Iterable[str], networks: Sequence[Network]) -> str:
    """The client's address: the peer, or when the peer is a trusted proxy, the nearest address in
    its ``X-Forwarded-For`` chain that is not a trusted proxy (read from the right, since each
    proxy appends the address it saw; what lies left of an untrusted hop may be forged).

    >>> proxies = [ipaddress.ip_network("10.0.0.0/8")]
    >>> client_address("10.0.0.2", ["203.0.113.9, 10.0.0.7"], proxies)
    '203.0.113.9'
    >>> client_address("10.0.0.2", ["1.1.1.1, 203.0.113.9"], proxies)  # 1.1.1.1 may be forged
    '203.0.113.9'
    >>> client_address("198.51.100.4", ["1.1.1.1"], proxies)  # not a proxy: the header is ignored
    '198.51.100.4'
    """
    if not is_trusted(peer, networks):
        return peer
    chain = [hop.strip() for header in forwarded_for for hop in header.split(",") if hop.strip()]
    client = peer
    for hop in reversed(chain):
        if _parse(hop) is None:
            break  # garbage in the chain: the last proxy that forwarded it is all we know
        client = hop.strip("[]")
        if not is_trusted(client, networks):
            break
    return client


class TrustedProxyMiddleware:
    """Puts the real client address (and scheme) in the ASGI scope for requests from trusted
    proxies; leaves every other request as it came."""

    def __init__(self, app: ASGIApp, trusted: Iterable[str]):
        self.app = app
        self.networks = [ipaddress.ip_network(item, strict=False) for item in trusted]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        client = scope.get("client")
        if scope["type"] in ("http", "websocket") and client and is_trusted(client[0], self.networks):
            scope = self._behind_proxy(scope, client)
        await self.app(scope, receive, send)

    def _behind_proxy(self, scope: Scope, client: tuple[str, int]) -> Scope:
        headers = [(name.lower(), value.decode("latin-1")) for name, value in scope["headers"]]
        forwarded = [value for name, value in headers if name == b"x-forwarded-for"]
        changed = dict(scope, client=(client_address(client[0], forwarded, self.networks), client[1]))
        protocols = [value for name, value in headers if name == b"x-forwarded-proto"]
        scheme = protocols[-1].split(",")[-1].strip().lower() if protocols else ""
        if scheme in ("http", "https"):
            websocket = scope["type"] == "websocket"
            changed["scheme"] = {"http": "ws", "https": "wss"}[scheme] if websocket else scheme
        return changed
