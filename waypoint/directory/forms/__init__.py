"""Forms of the directory: ``public`` for the search page, the rest for the
directory editors' staff interface.

Each page edits one listing and its parts (phones, opening hours, documents,
address …). A ``FormGroup`` holds the main form and its formsets: it is valid
only when every part is, it summarises every error for the top of the page,
and it writes everything through one service call, so that an invalid part
leaves the database untouched.
"""

from __future__ import annotations

from waypoint.directory.forms.common import FormGroup
from waypoint.directory.forms.lists import (
    OrganizationFilterForm,
)
from waypoint.directory.forms.location import (
    AddressForm,
    LocationForm,
    LocationFormGroup,
)
from waypoint.directory.forms.organization import (
    OrganizationForm,
    OrganizationFormGroup,
)
from waypoint.directory.forms.public import MAX_PAGE, SearchForm, city_value
from waypoint.directory.forms.service import (
    LocationChoiceField,
    ServiceForm,
    ServiceFormGroup,
)

__all__ = [
    "MAX_PAGE",
    "AddressForm",
    "FormGroup",
    "LocationChoiceField",
    "LocationForm",
    "LocationFormGroup",
    "OrganizationFilterForm",
    "OrganizationForm",
    "OrganizationFormGroup",
    "SearchForm",
    "ServiceForm",
    "ServiceFormGroup",
    "city_value",
]
