"""What the meetings services announce, for apps above that keep something derived from meetings
(the archive's search index, docs/architecture.md "Layers"): meetings imports none of them.

Both are sent synchronously inside the service's transaction, so a derived row is written with the
change it follows, or not at all.
"""

from django.dispatch import Signal

# A meeting's published content changed: its agenda was published or changed after publication,
# or its minutes were published. Sent with ``meeting``.
published_content_changed = Signal()

# A file was attached to an agenda item (the row is saved, the transaction not yet committed).
# Sent with ``attachment``.
attachment_added = Signal()
