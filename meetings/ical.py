"""iCalendar (RFC 5545) feeds of meetings: titles of open items only, never closed ones."""

import datetime

from django.utils import timezone

from .models import Meeting


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after a space."""
    data = line.encode()
    if len(data) <= 75:
        return line
    parts, start, limit = [], 0, 75
    while start < len(data):
        end = min(start + limit, len(data))
        while end < len(data) and (data[end] & 0xC0) == 0x80:  # never split a UTF-8 character
            end -= 1
        parts.append(data[start:end].decode())
        start, limit = end, 74
    return "\r\n ".join(parts)


def _utc(value: datetime.datetime) -> str:
    return value.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def calendar(
    name: str, meetings: list[Meeting], open_items: dict[int, list[str]], base_url: str, path
) -> str:
    """`open_items`: meeting id → titles of its open items (only for published agendas)."""
    now = _utc(timezone.now())
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//KKR Portal//Meetings//DA",
        "CALSCALE:GREGORIAN",
        f"X-WR-CALNAME:{_escape(name)}",
    ]
    for meeting in meetings:
        end = meeting.ends_at or meeting.starts_at + datetime.timedelta(hours=3)
        summary = f"{meeting.council.name}: {meeting.get_kind_display()}"
        description = "\n".join(f"{n}. {t}" for n, t in enumerate(open_items.get(meeting.pk, []), start=1))
        lines += [
            "BEGIN:VEVENT",
            f"UID:meeting-{meeting.pk}@kkr-portal",
            f"DTSTAMP:{now}",
            f"DTSTART:{_utc(meeting.starts_at)}",
            f"DTEND:{_utc(end)}",
            f"SUMMARY:{_escape(summary)}",
            f"LOCATION:{_escape(meeting.location)}",
            f"URL:{base_url}{path(meeting)}",
        ]
        if description:
            lines.append(f"DESCRIPTION:{_escape(description)}")
        if meeting.status == Meeting.Status.CANCELLED:
            lines.append("STATUS:CANCELLED")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"
