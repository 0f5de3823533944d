"""The public directory, modelled on Open Referral HSDS 3.

Field names follow the specification so that the HSDS API, import and export
map one to one. Waypoint's own needs (countries, translations, verification,
demo marking) are additions that HSDS output simply leaves out.

``base`` holds the shared abstract models, ``listings`` the organisations,
services and locations, ``details`` what is attached to them (addresses,
contacts, phones, schedules, languages, costs, …), ``taxonomy`` the terms
that tag them, ``changes`` their history and ``search_index`` the tables the
search reads.
"""

from __future__ import annotations

from waypoint.directory.models.base import Translatable, Verifiable, new_id
from waypoint.directory.models.changes import ChangeRecord
from waypoint.directory.models.details import (
    Accessibility,
    Address,
    Contact,
    CostOption,
    Language,
    Phone,
    RequiredDocument,
    Schedule,
    ServiceArea,
    Url,
)
from waypoint.directory.models.listings import (
    ImportSource,
    Location,
    Organization,
    Service,
    ServiceAtLocation,
)
from waypoint.directory.models.search_index import (
    SearchEntry,
    ServiceFacet,
    ServiceOpening,
)
from waypoint.directory.models.taxonomy import Attribute, Taxonomy, TaxonomyTerm

__all__ = [
    "Accessibility",
    "Address",
    "Attribute",
    "ChangeRecord",
    "Contact",
    "CostOption",
    "ImportSource",
    "Language",
    "Location",
    "Organization",
    "Phone",
    "RequiredDocument",
    "Schedule",
    "SearchEntry",
    "Service",
    "ServiceArea",
    "ServiceAtLocation",
    "ServiceFacet",
    "ServiceOpening",
    "Taxonomy",
    "TaxonomyTerm",
    "Translatable",
    "Url",
    "Verifiable",
    "new_id",
]
