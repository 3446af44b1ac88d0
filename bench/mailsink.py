"""A mail backend for the fault tests: each delivery takes MAIL_SINK_DELAY seconds and is then
appended (and fsynced) as one line to the file MAIL_SINK, so a worker killed at any moment leaves an
exact record of what went out."""

import os
import time

from django.core.mail.backends.base import BaseEmailBackend


class SinkBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        path = os.environ["MAIL_SINK"]
        delay = float(os.environ.get("MAIL_SINK_DELAY", "0"))
        for message in email_messages:
            time.sleep(delay)
            line = f"{','.join(message.to)}\t{message.subject}\t{os.getpid()}\n".encode()
            fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
            try:
                os.write(fd, line)
                os.fsync(fd)
            finally:
                os.close(fd)
        return len(email_messages)


def deliveries(path) -> list[str]:
    """The recipients of every delivery so far, one entry per delivery."""
    try:
        with open(path, encoding="utf-8") as sink:
            return [line.split("\t", 1)[0] for line in sink if line.strip()]
    except FileNotFoundError:
        return []
