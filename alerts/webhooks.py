"""Sending one signed webhook (Standard Webhooks) to a destination we checked.

The host is resolved once, every address it resolves to is checked, and the
connection goes to that checked address (a second lookup could answer
differently: DNS rebinding). Redirects are not followed. Loopback, private,
link-local and other non-public addresses are refused unless
WEBHOOK_ALLOW_PRIVATE_ADDRESSES is set (for tests and benches on one machine).
"""

import datetime
import http.client
import ipaddress
import json
import socket
import ssl
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from standardwebhooks.webhooks import Webhook

USER_AGENT = "policy-initiative-tracker-webhooks/1"
MAX_RESPONSE_BYTES = 64 * 1024


class UnsafeDestination(ValidationError):
    pass


def address_allowed(address):
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    if settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES:
        return not ip.is_unspecified and not ip.is_multicast
    return ip.is_global and not ip.is_multicast


def split_url(url):
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UnsafeDestination(_("Only http:// and https:// addresses can receive webhooks."))
    if parts.username or parts.password:
        raise UnsafeDestination(_("Put no user name or password in the address; the signature authenticates."))
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise UnsafeDestination(_("The port is not a number from 1 to 65535.")) from None
    return parts, port


def resolve(url):
    """(url parts, port, the checked IP address to connect to); raises UnsafeDestination."""
    parts, port = split_url(url)
    try:
        infos = socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise UnsafeDestination(_("The host name does not resolve.")) from None
    addresses = [info[4][0] for info in infos]
    if not addresses or not all(address_allowed(address) for address in addresses):
        raise UnsafeDestination(
            _("The address resolves to a loopback, private, link-local or otherwise non-public network.")
        )
    return parts, port, addresses[0]


def validate_webhook_url(url):
    """For the admin form: the same check as at send time."""
    resolve(url)


class PinnedHTTPSConnection(http.client.HTTPSConnection):
    """HTTPS to an address we checked, with the certificate checked against the host name."""

    def __init__(self, host, port, address, **kwargs):
        super().__init__(host, port, context=ssl.create_default_context(), **kwargs)
        self.address = address

    def connect(self):
        sock = socket.create_connection((self.address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


class PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, host, port, address, **kwargs):
        super().__init__(host, port, **kwargs)
        self.address = address

    def connect(self):
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


def signed_headers(secret, message_id, body, when=None):
    """The three Standard Webhooks headers for ``body`` (a str)."""
    when = when or datetime.datetime.now(datetime.UTC)
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(int(when.timestamp())),
        "webhook-signature": Webhook(secret).sign(message_id, when, body),
    }


def encode(payload):
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"))


def post(url, *, secret, message_id, payload):
    """POST the signed payload; the HTTP status code. Raises UnsafeDestination, or
    OSError / http.client.HTTPException when the receiver cannot be reached."""
    parts, port, address = resolve(url)
    body = encode(payload)
    connection_class = PinnedHTTPSConnection if parts.scheme == "https" else PinnedHTTPConnection
    connection = connection_class(parts.hostname, port, address, timeout=settings.WEBHOOK_TIMEOUT_SECONDS)
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        **signed_headers(secret, message_id, body),
    }
    try:
        connection.request("POST", path, body=body.encode(), headers=headers)
        response = connection.getresponse()
        response.read(MAX_RESPONSE_BYTES)
        return response.status
    finally:
        connection.close()
