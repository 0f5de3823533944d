"""Forms of the directory editors' staff interface.

Each page edits one listing and its parts (phones, opening hours, documents,
address …). A ``FormGroup`` holds the main form and its formsets: it is valid
only when every part is, it summarises every error for the top of the page,
and it writes everything through one service call, so that an invalid part
leaves the database untouched.
"""

from __future__ import annotations

from waypoint.directory.manage_forms.common import FormGroup
from waypoint.directory.manage_forms.lists import (
    OrganizationFilterForm,
)
from waypoint.directory.manage_forms.location import (
    AddressForm,
    LocationForm,
    LocationFormGroup,
)
from waypoint.directory.manage_forms.organization import (
    OrganizationForm,
    OrganizationFormGroup,
)
from waypoint.directory.manage_forms.service import (
    LocationChoiceField,
    ServiceForm,
    ServiceFormGroup,
)

__all__ = [
    "AddressForm",
    "FormGroup",
    "LocationChoiceField",
    "LocationForm",
    "LocationFormGroup",
    "OrganizationFilterForm",
    "OrganizationForm",
    "OrganizationFormGroup",
    "ServiceForm",
    "ServiceFormGroup",
]
