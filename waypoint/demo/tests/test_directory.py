"""The demo directory: every organisation of the source documents, loaded once."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.utils import timezone

from waypoint.demo.directory import ORGANIZATIONS, demo_id, demo_load
from waypoint.directory.models import (
    Address,
    Attribute,
    ChangeRecord,
    Location,
    Organization,
    Phone,
    Schedule,
    SearchEntry,
    Service,
    ServiceFacet,
)
from waypoint.directory.search import SearchQuery, run_search
from waypoint.directory.taxonomies import term_id

pytestmark = pytest.mark.django_db

NAMED_IN_THE_DOCUMENTS = {
    "Pro Refugiu Association": "RO",
    "Center for the Study of Democracy": "BG",
    "Caritas International Belgium": "BE",
    "Association TRABE – Iniciativas para la Economía Social y Solidaria": "ES",
    "Scandinavian Human Rights Lawyers": "SE",
    "Crime Prevention Council of Lower Saxony": "DE",
    "National Union of Romanian Bars": "RO",
    "Demetra Association": "BG",
    "Center for European Constitutional Law": "GR",
    "Italian Coalition for Civil Liberties and Rights": "IT",
    "Verein für Internationale Jugendarbeit e.V. Landesverein Württemberg": "DE",
    "La Strada International": "NL",
    "KOK – German NGO network against trafficking in human beings": "DE",
    "ECPAT Germany": "DE",
    "Bulgarian Gender Research Foundation": "BG",
    "European Institute for Crime Prevention and Control, affiliated with the "
    "United Nations": "FI",
    "EU Civil Society Platform against Trafficking in Human Beings": "BE",
    "European Union Agency for Fundamental Rights": "AT",
    "Fundamental Rights Platform of the European Union Agency for Fundamental "
    "Rights": "AT",
    "European Commission": "BE",
    "National Agency against Trafficking in Persons": "RO",
    "Romanian General Inspectorate for Immigration": "RO",
    "National Institute for Magistracy": "RO",
    "Bucharest Bar": "RO",
    "National Agency for Community Programmes for Education and Professional "
    "Development": "RO",
    "University of Bucharest, Faculty of Sociology and Social Assistance": "RO",
    "Betania Association": "RO",
    "People to People Foundation": "RO",
    "East European Institute for Reproductive Health": "RO",
    "General Directorates for Social Assistance and Child Protection": "RO",
    "Directorate for Investigating Organised Crime and Terrorism": "RO",
    "Ministry for Romanians Abroad": "RO",
    "Ministry of Justice": "RO",
    "Agency for Employment": "RO",
    "Hotel Industry Federation of Romania": "RO",
    "Romanian Police": "RO",
}

_MODELS = (
    Organization,
    Service,
    Location,
    Address,
    Attribute,
    Phone,
    Schedule,
    ChangeRecord,
    SearchEntry,
    ServiceFacet,
)


def _counts() -> dict[str, int]:
    return {m.__name__: m.objects.count() for m in _MODELS}


def test_loading_twice_changes_nothing() -> None:
    """The second run finds everything in place and writes no row, no history."""
    call_command("load_demo", skip_checks=True)
    first = _counts()
    updated = dict(Organization.objects.values_list("pk", "updated_at"))
    result = demo_load()
    assert result.written == 0
    assert _counts() == first
    assert dict(Organization.objects.values_list("pk", "updated_at")) == updated


def test_every_organisation_named_in_the_documents_exists_with_its_country() -> None:
    """Each one is there once, in its country, with its kind of body."""
    demo_load()
    assert len(ORGANIZATIONS) == len(NAMED_IN_THE_DOCUMENTS)
    for name, country in NAMED_IN_THE_DOCUMENTS.items():
        organization = Organization.objects.get(name=name)
        assert organization.country == country, name
        assert Attribute.objects.filter(
            link_entity="organization",
            link_id=organization.pk,
            taxonomy_term__taxonomy_ref__code="waypoint-organization-kind",
        ).exists(), name


def test_history_names_the_demo_data_as_author() -> None:
    """Every change the loader writes is recorded under the label "demo data"."""
    demo_load()
    labels = set(ChangeRecord.objects.values_list("actor_label", flat=True))
    assert labels == {"demo data"}


def test_pro_refugiu_has_its_documented_contact_data() -> None:
    """Address, email and website exactly as the annual report gives them."""
    demo_load()
    pro = Organization.objects.get(pk=demo_id("org", "pro-refugiu"))
    assert pro.email == "office@prorefugiu.org"
    assert pro.website == "https://www.prorefugiu.org"
    assert not pro.is_demo
    assert pro.translated("name", "ro") == "Asociația Pro Refugiu"
    address = Address.objects.get(location__organization=pro)
    assert address.address_1 == "56 Calea Crângași Street"
    assert address.address_2 == "Sector 6"
    assert address.city == "București"
    assert address.country == "RO"
    assert address.postal_code == ""


def test_only_pro_refugiu_has_a_street_address() -> None:
    """Other organisations' streets are not in the documents, so none is invented."""
    demo_load()
    assert list(
        Address.objects.values_list("location__organization__name", flat=True)
    ) == ["Pro Refugiu Association"]


def test_no_invented_contact_data_passes_for_real() -> None:
    """The documents give no phone number or hours: any there are marked demo."""
    demo_load()
    assert not Phone.objects.filter(is_demo=False).exists()
    assert not Schedule.objects.filter(is_demo=False).exists()
    assert not Organization.objects.filter(is_demo=True).exists()


def test_the_national_anti_trafficking_agency_coordinates_the_referral_mechanism() -> (
    None
):
    """ANITP carries the authority role the national referral mechanism needs."""
    demo_load()
    assert Attribute.objects.filter(
        link_id=demo_id("org", "anitp"),
        taxonomy_term_id=term_id("waypoint-authority-role", "nrm-coordinator"),
    ).exists()


def test_pro_refugiu_legal_counselling_is_found_by_city_in_english_or_romanian() -> (
    None
):
    """ "bucharest legal" and "bucuresti" both find it, and it has a city facet."""
    demo_load()
    legal = demo_id("service", "pro-refugiu/thb-legal")
    now = timezone.now()
    assert legal in run_search(SearchQuery(text="bucharest legal"), now=now).service_ids
    everything = run_search(SearchQuery(text="bucuresti", per_page=100), now=now)
    assert legal in everything.service_ids
    assert legal in run_search(SearchQuery(city="București"), now=now).service_ids


def test_services_of_organisations_known_only_by_city_get_the_city_facet() -> None:
    """A location without a street address still files its services under the city."""
    demo_load()
    police = demo_id("service", "romanian-police/police")
    assert ServiceFacet.objects.filter(
        service_id=police, facet="city", value="București"
    ).exists()
    sofia = run_search(SearchQuery(city="София"), now=timezone.now())
    assert demo_id(
        "service", "bulgarian-gender-research-foundation/legal-counselling"
    ) in (sofia.service_ids)
