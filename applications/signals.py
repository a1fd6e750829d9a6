"""What applications ask of the apps above them, which it may not import."""

from django.dispatch import Signal

# The application page shows what the apps above add to it (its referrals, for
# one): each receiver answers ``(template_name, context)`` for ``application``
# (from ``application_detail_queryset``) and ``user``, or None.
application_page_sections = Signal()

# The application list shows where each case stands after its approval (its
# referral, for one): each receiver answers ``{application_id: CaseStage}`` for
# the rows of ``applications`` (a page of ``application_list``) it knows more of,
# in one query for the page, or None.
application_list_stages = Signal()
