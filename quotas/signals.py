"""What quotas tell the apps above them, which it may not import.

Sent inside the sender's transaction, with the channel row locked; receivers
act in that same transaction.
"""

from django.dispatch import Signal

# A channel has free slots it did not have before (resized, received a transfer,
# or an allocation ended): ``channel_id``. The waiting list takes them.
channel_slots_freed = Signal()
