"""A real SMTP server on 127.0.0.1 for the delivery tests, that can be told to refuse mail."""

import contextlib
import socket
import time
from email import message_from_bytes, policy

from aiosmtpd.controller import Controller


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class RecordingHandler:
    """Keeps every accepted message; answers `refuse_with` instead while it is set."""

    def __init__(self):
        self.messages = []
        # The client end of the connection each accepted message came over.
        self.peers = []
        self.refuse_with = None
        # Refuse only the messages to these addresses (the others are accepted).
        self.refuse_for = set()
        # Drop the connection, unanswered, when a message arrives after this many.
        self.hang_up_after = None

    async def handle_DATA(self, server, session, envelope):
        if self.hang_up_after is not None and len(self.messages) >= self.hang_up_after:
            server.transport.close()
            return "421 4.3.2 Closing the connection"
        refused = self.refuse_for & {address.lower() for address in envelope.rcpt_tos}
        if self.refuse_with and (not self.refuse_for or refused):
            return self.refuse_with
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        self.peers.append(session.peer)
        return "250 2.0.0 Message accepted for delivery"


class SMTPServer:
    """An aiosmtpd server in a thread; stop() and start() it to play an outage."""

    def __init__(self, port=None):
        self.handler = RecordingHandler()
        self.port = port or free_port()
        self.controller = None

    @property
    def messages(self):
        return self.handler.messages

    def start(self):
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def wait_for(self, count, timeout):
        """Wait until `count` messages have arrived; the messages so far either way."""
        deadline = time.monotonic() + timeout
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.1)
        return list(self.messages)


@contextlib.contextmanager
def running_smtp_server():
    server = SMTPServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()
