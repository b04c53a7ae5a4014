"""A local Socket Mode server speaking Slack's envelope protocol: hello, envelopes, acks by envelope_id."""

from __future__ import annotations

import itertools
import json
import queue
import threading
from typing import Any

from websockets.sync.server import Server, ServerConnection, serve


class Connection:
    """One app connection: send envelopes, read the acks."""

    def __init__(self, socket: ServerConnection) -> None:
        self.socket = socket
        self.acks: queue.Queue[dict[str, Any]] = queue.Queue()
        self.closed = threading.Event()
        self._ids = itertools.count(1)

    def send(self, kind: str, payload: dict[str, Any], *, accepts_response_payload: bool = False) -> str:
        envelope_id = f"env-{id(self)}-{next(self._ids)}"
        envelope = {
            "envelope_id": envelope_id,
            "type": kind,
            "payload": payload,
            "accepts_response_payload": accepts_response_payload,
            "retry_attempt": 0,
            "retry_reason": "",
        }
        self.socket.send(json.dumps(envelope))
        return envelope_id

    def ack(self, envelope_id: str, timeout: float = 10.0) -> dict[str, Any]:
        """The app's acknowledgement of this envelope (other messages are skipped)."""
        while True:
            message = self.acks.get(timeout=timeout)
            if message.get("envelope_id") == envelope_id:
                return message

    def drop(self) -> None:
        """Close from the server side, as Slack does when it rotates connections."""
        self.socket.close()


class FakeSocketMode:
    """Accepts app connections on ws://127.0.0.1:PORT and hands each to the test."""

    def __init__(self) -> None:
        self.connections: queue.Queue[Connection] = queue.Queue()
        self._server: Server = serve(self._handle, "127.0.0.1", 0)
        self._thread = threading.Thread(target=self._server.serve_forever, name="fake-socket-mode", daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.socket.getsockname()[:2]
        return f"ws://{host}:{port}/link"

    def __enter__(self) -> FakeSocketMode:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._server.shutdown()

    def next_connection(self, timeout: float = 30.0) -> Connection:
        return self.connections.get(timeout=timeout)

    def _handle(self, socket: ServerConnection) -> None:
        connection = Connection(socket)
        socket.send(json.dumps({"type": "hello", "num_connections": 1, "connection_info": {"app_id": "APEERLRN"}}))
        self.connections.put(connection)
        try:
            for message in socket:
                connection.acks.put(json.loads(message))
        except Exception:  # the connection ended; the app will open a new one
            pass
        finally:
            connection.closed.set()
