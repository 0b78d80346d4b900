"""How MigraLex runs under uvicorn: the fast extras (uvloop, httptools; pyproject's ``uvicorn[standard]``)
and JSON for the one error uvicorn answers itself.

A request the HTTP parser cannot read (a request line or headers of more than ~80 kB, or garbage) never
reaches the app; uvicorn would answer a plain-text 400. :class:`HttpProtocol` answers the error schema
of the API instead (``{"error": {"code", "message"}}``), then closes the connection as uvicorn does.
"""

from __future__ import annotations

import importlib.util
import json
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

#: ``uvicorn.Config(http=...)`` / ``uvicorn.run(http=...)`` (an import string: worker processes load it too).
HTTP_PROTOCOL = "search_api.server:HttpProtocol"


class HttpProtocol(HttpToolsProtocol):
    def send_400_response(self, msg: str) -> None:
        body = json.dumps({"error": {"code": "bad_request", "message": f"{msg.rstrip('.')}: a request line or"
                                     " headers too large (over about 80 kB), or not HTTP"}}).encode()
        head = [b"HTTP/1.1 400 Bad Request\r\n"]
        for name, value in self.server_state.default_headers:
            head.extend([name, b": ", value, b"\r\n"])
        head.append(b"content-type: application/json\r\ncontent-length: %d\r\nconnection: close\r\n\r\n" % len(body))
        self.transport.write(b"".join(head) + body)
        self.transport.close()


#: Seconds an idle keep-alive connection stays open (uvicorn's default is 5): a client reusing a pooled
#: connection just as the server drops it sees a reset, so idle connections are dropped less eagerly.
KEEP_ALIVE = 30


def uvicorn_options() -> dict[str, Any]:
    """The event loop and HTTP protocol for ``uvicorn.run``/``uvicorn.Config``: uvloop when installed."""
    return {"loop": "uvloop" if importlib.util.find_spec("uvloop") else "asyncio", "http": HTTP_PROTOCOL,
            "timeout_keep_alive": KEEP_ALIVE}
