"""What patients ask of the apps above them, which it may not import."""

from django.dispatch import Signal

# Which patients may ``user`` see beyond those their institutions registered?
# Each receiver answers a queryset of patient ids (``values("patient_id")``):
# the patients of the applications the user may see, for one.
patients_visible = Signal()
