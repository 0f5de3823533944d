"""Every write to projects, events, publications and participants.

One module per area; each service is atomic, takes the acting user and records
who changed what (``ChangeRecord``) or audits it.
"""

from waypoint.activities.services.core import (
    SaveTally,
    activity_record_delete,
    activity_record_save,
    event_participants_set,
    event_participating_set,
    project_partners_set,
)

__all__ = [
    "SaveTally",
    "activity_record_delete",
    "activity_record_save",
    "event_participants_set",
    "event_participating_set",
    "project_partners_set",
]
