"""What allocations tell the apps above them, which it may not import.

Sent inside the sender's transaction, after the allocations moved and their
slots went back to the channel; receivers act in the same transaction.
"""

from django.dispatch import Signal

# Live allocations ended (released or expired): ``allocations`` (already moved),
# ``to_state``, ``actor``, ``reason``, ``comment``, ``now``. What was held on
# them (an approved application, a referral the clinic has not yet admitted)
# ends too.
allocations_ended = Signal()

# Who besides the channel's officers is told about these allocations' deadlines:
# ``allocations``; each receiver answers ``{allocation_id: {user_id, ...}}``.
allocation_watchers = Signal()
