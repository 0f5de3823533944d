"""The demonstration directory: the organisations named in Waypoint's source documents.

Every organisation, institution and network that Pro Refugiu Association's
2018 newsletter and 2019 annual activity report name is here, with what those
documents say about it. Only Pro Refugiu's contact data appears in them, so it
is the only organisation with an address, email and website; the others get
the city they are known to work from (city-centre coordinates, no street) and
nothing invented. Services are those the documents describe (Pro Refugiu's)
or the statutory function of a public body; plausible services of other
organisations are marked as demo data so that the interface says so.

Loading is idempotent: ids are stable (uuid5 of a slug) and an object whose
stored values already match is not written again.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from django.db import models, transaction

from waypoint.directory.models import (
    Address,
    Language,
    Location,
    Organization,
    Service,
    ServiceAtLocation,
    TaxonomyTerm,
    Url,
)
from waypoint.directory.search import search_index_refresh
from waypoint.directory.services import (
    attributes_set,
    directory_object_save,
    snapshot,
)
from waypoint.directory.taxonomies import term_id
from waypoint.directory.taxonomy_data import (
    AUTHORITY_ROLE,
    CRIME_TYPE,
    ORGANIZATION_KIND,
    SERVICE_TYPE,
    TARGET_GROUP,
)

ACTOR = "demo data"
NAMESPACE = uuid.UUID("6b1f0c52-3e0a-4d55-9a57-5f3f3b0e8a11")


def demo_id(kind: str, slug: str) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, f"{kind}/{slug}")


@dataclass(frozen=True)
class City:
    """A city by its own name, with the English one and its centre."""

    name: str
    english: str
    country: str
    latitude: float
    longitude: float


CITIES: dict[str, City] = {
    c.english: c
    for c in (
        City("București", "Bucharest", "RO", 44.4268, 26.1025),
        City("Târgu Mureș", "Targu Mures", "RO", 46.5425, 24.5575),
        City("София", "Sofia", "BG", 42.6977, 23.3219),
        City("Бургас", "Burgas", "BG", 42.5048, 27.4626),
        City("Bruxelles", "Brussels", "BE", 50.8503, 4.3517),
        City("Madrid", "Madrid", "ES", 40.4168, -3.7038),
        City("Stockholm", "Stockholm", "SE", 59.3293, 18.0686),
        City("Hannover", "Hanover", "DE", 52.3759, 9.7320),
        City("Stuttgart", "Stuttgart", "DE", 48.7758, 9.1829),
        City("Berlin", "Berlin", "DE", 52.5200, 13.4050),
        City("Freiburg im Breisgau", "Freiburg", "DE", 47.9990, 7.8421),
        City("Αθήνα", "Athens", "GR", 37.9838, 23.7275),
        City("Roma", "Rome", "IT", 41.9028, 12.4964),
        City("Amsterdam", "Amsterdam", "NL", 52.3676, 4.9041),
        City("Helsinki", "Helsinki", "FI", 60.1699, 24.9384),
        City("Wien", "Vienna", "AT", 48.2082, 16.3738),
    )
}

# The language a city's own name is written in, for the location's listing.
_COUNTRY_LANGUAGE = {
    "RO": "ro",
    "BG": "bg",
    "DE": "de",
    "AT": "de",
    "SE": "sv",
    "ES": "es",
    "GR": "el",
    "IT": "it",
    "BE": "fr",
    "NL": "nl",
    "FI": "fi",
}


@dataclass(frozen=True)
class DemoOrganization:
    slug: str
    name: str
    country: str
    kinds: tuple[str, ...]
    description: str
    city: str = ""  # an English key of CITIES
    names: dict[str, str] = field(default_factory=dict)  # own-language names
    descriptions: dict[str, str] = field(default_factory=dict)
    alternate_name: str = ""
    roles: tuple[str, ...] = ()
    parent: str = ""
    email: str = ""
    website: str = ""
    links: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class DemoService:
    organization: str
    slug: str
    name: str
    description: str
    types: tuple[str, ...] = ()
    targets: tuple[str, ...] = ()
    crimes: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    names: dict[str, str] = field(default_factory=dict)
    descriptions: dict[str, str] = field(default_factory=dict)
    # True for a plausible service the documents do not describe.
    is_demo: bool = False


PRO_REFUGIU = "pro-refugiu"
PRO_REFUGIU_ADDRESS = {
    "address_1": "56 Calea Crângași Street",
    "address_2": "Sector 6",
    "city": "București",
    "state_province": "București",
    "country": "RO",
}

ORGANIZATIONS: tuple[DemoOrganization, ...] = (
    DemoOrganization(
        slug=PRO_REFUGIU,
        name="Pro Refugiu Association",
        alternate_name="Pro Refugiu",
        country="RO",
        kinds=("ngo",),
        city="Bucharest",
        names={"ro": "Asociația Pro Refugiu"},
        description=(
            "A non-governmental organisation based in Bucharest, Romania, set up "
            "in early 2011 by specialists in assisting victims of human "
            "trafficking, asylum seekers and refugees. It provides legal, social "
            "and psychological counselling and assistance to victims of "
            "trafficking and other crimes, asylum seekers and refugees, trains "
            "legal, social and health professionals, carries out studies and "
            "research, and coordinates transnational projects on victims' rights."
        ),
        descriptions={
            "ro": (
                "Organizație neguvernamentală cu sediul în București, înființată "
                "la începutul anului 2011 la inițiativa unui grup de specialiști "
                "în asistența victimelor traficului de persoane, a solicitanților "
                "de azil și a refugiaților. Oferă consiliere și asistență "
                "juridică, socială și psihologică victimelor traficului de "
                "persoane și ale altor infracțiuni, solicitanților de azil și "
                "refugiaților, organizează formări pentru profesioniști din "
                "domeniile juridic, social și medical, realizează studii și "
                "cercetări și coordonează proiecte transnaționale privind "
                "drepturile victimelor."
            )
        },
        email="office@prorefugiu.org",
        website="https://www.prorefugiu.org",
        links=(
            (
                "Pro Victims Justice project",
                "https://provictimsjustice.prorefugiu.org/",
            ),
            ("Justice for women project", "http://justiceforwomen.prorefugiu.eu/"),
            (
                "Net-Combat THB Chain project",
                "http://net-combat-thb-chain.prorefugiu.eu/",
            ),
            ("Train Pro Rights project", "http://train-pro-rights.prorefugiu.eu/"),
            (
                "Referral and assistance project",
                "http://ec.justice-project.prorefugiu.org/",
            ),
            ("RACCOMBAT project", "http://raccombat-project.eu/"),
        ),
    ),
    DemoOrganization(
        slug="center-for-the-study-of-democracy",
        name="Center for the Study of Democracy",
        alternate_name="CSD",
        country="BG",
        kinds=("ngo",),
        city="Sofia",
        names={"bg": "Център за изследване на демокрацията"},
        description=(
            "Bulgarian organisation, partner of Pro Refugiu Association in "
            "transnational projects on referral and assistance for victims of "
            "human trafficking, victims' access to justice, women victims of "
            "violence and the business of human trafficking."
        ),
        descriptions={
            "bg": (
                "Българска организация, партньор на сдружение „Про Рефуджиу“ в "
                "транснационални проекти за насочване и подкрепа на пострадали "
                "от трафик на хора, за достъп до правосъдие на пострадалите от "
                "престъпления и за жените, пострадали от насилие."
            )
        },
    ),
    DemoOrganization(
        slug="caritas-international-belgium",
        name="Caritas International Belgium",
        country="BE",
        kinds=("ngo",),
        city="Brussels",
        names={"fr": "Caritas International Belgique"},
        description=(
            "Belgian partner of Pro Refugiu Association in the project on "
            "multidisciplinary cooperation for the referral, assistance and "
            "rights protection of victims of human trafficking (2017–2018), "
            "whose final conference was held in Brussels."
        ),
    ),
    DemoOrganization(
        slug="trabe",
        name="Association TRABE – Iniciativas para la Economía Social y Solidaria",
        alternate_name="TRABE",
        country="ES",
        kinds=("ngo",),
        city="Madrid",
        names={
            "es": "Asociación TRABE – Iniciativas para la Economía Social y Solidaria"
        },
        description=(
            "Spanish association, partner of Pro Refugiu Association in projects "
            "on victims of human trafficking, women victims of violence and the "
            "training of lawyers, prosecutors and judges."
        ),
        descriptions={
            "es": (
                "Asociación española, socia de la Asociación Pro Refugiu en "
                "proyectos sobre víctimas de trata de seres humanos, mujeres "
                "víctimas de violencia y formación de abogados, fiscales y jueces."
            )
        },
    ),
    DemoOrganization(
        slug="scandinavian-human-rights-lawyers",
        name="Scandinavian Human Rights Lawyers",
        country="SE",
        kinds=("ngo",),
        city="Stockholm",
        names={"sv": "Skandinaviska Människorättsjurister"},
        description=(
            "Swedish partner of Pro Refugiu Association in projects on the "
            "referral and assistance of victims of human trafficking and on "
            "victims' rights in the justice system."
        ),
        descriptions={
            "sv": (
                "Svensk partner till Pro Refugiu Association i projekt om "
                "hänvisning av och stöd till offer för människohandel och om "
                "brottsoffers rättigheter i rättsväsendet."
            )
        },
    ),
    DemoOrganization(
        slug="crime-prevention-council-lower-saxony",
        name="Crime Prevention Council of Lower Saxony",
        country="DE",
        kinds=("public-authority",),
        city="Hanover",
        names={"de": "Landespräventionsrat Niedersachsen"},
        description=(
            "German partner of Pro Refugiu Association in the project Pro Victims "
            "Justice through an enhanced rights protection and stakeholders "
            "cooperation (2017–2019)."
        ),
        descriptions={
            "de": (
                "Deutscher Partner der Pro Refugiu Association im Projekt „Pro "
                "Victims Justice“ für einen besseren Schutz der Rechte von "
                "Opfern und die Zusammenarbeit der Beteiligten (2017–2019)."
            )
        },
    ),
    DemoOrganization(
        slug="national-union-of-romanian-bars",
        name="National Union of Romanian Bars",
        alternate_name="UNBR",
        country="RO",
        kinds=("bar-association",),
        city="Bucharest",
        names={"ro": "Uniunea Națională a Barourilor din România"},
        description=(
            "Partner of Pro Refugiu Association in the project Pro Victims "
            "Justice (2017–2019) and one of its national partners."
        ),
        descriptions={
            "ro": (
                "Partener al Asociației Pro Refugiu în proiectul Pro Victims "
                "Justice (2017–2019) și unul dintre partenerii săi naționali."
            )
        },
    ),
    DemoOrganization(
        slug="demetra-association",
        name="Demetra Association",
        country="BG",
        kinds=("ngo",),
        city="Burgas",
        names={"bg": "Сдружение „Деметра“"},
        description=(
            "Bulgarian partner of Pro Refugiu Association in the project on "
            "rights protection and access to judicial procedures for victims of "
            "crime, focused on women victims of violence (2018–2020)."
        ),
        descriptions={
            "bg": (
                "Български партньор на сдружение „Про Рефуджиу“ в проекта за "
                "защита на правата и достъп до съдебни процедури на пострадалите "
                "от престъпления, насочен към жените, пострадали от насилие."
            )
        },
    ),
    DemoOrganization(
        slug="center-for-european-constitutional-law",
        name="Center for European Constitutional Law",
        country="GR",
        kinds=("ngo",),
        city="Athens",
        names={"el": "Κέντρο Ευρωπαϊκού Συνταγματικού Δικαίου"},
        description=(
            "Greek partner of Pro Refugiu Association in projects on women "
            "victims of violence, the business of human trafficking and the "
            "training of legal professionals on the rights of migrant and "
            "refugee victims of trafficking."
        ),
        descriptions={
            "el": (
                "Εταίρος της Pro Refugiu Association στην Ελλάδα σε έργα για τις "
                "γυναίκες θύματα βίας, την εμπορία ανθρώπων στις οικονομικές "
                "δραστηριότητες και την κατάρτιση νομικών για τα δικαιώματα "
                "μεταναστών και προσφύγων θυμάτων εμπορίας ανθρώπων."
            )
        },
    ),
    DemoOrganization(
        slug="cild",
        name="Italian Coalition for Civil Liberties and Rights",
        alternate_name="CILD",
        country="IT",
        kinds=("network",),
        city="Rome",
        names={"it": "Coalizione Italiana Libertà e Diritti civili"},
        description=(
            "Italian partner of Pro Refugiu Association in projects on women "
            "victims of violence, the business of human trafficking and the "
            "training of legal professionals on the rights of migrant and "
            "refugee victims of trafficking."
        ),
        descriptions={
            "it": (
                "Partner italiano della Pro Refugiu Association in progetti sulle "
                "donne vittime di violenza, sulla tratta nelle filiere economiche "
                "e sulla formazione dei professionisti del diritto sui diritti "
                "delle vittime di tratta migranti e rifugiate."
            )
        },
    ),
    DemoOrganization(
        slug="vij-wuerttemberg",
        name="Verein für Internationale Jugendarbeit e.V. Landesverein Württemberg",
        alternate_name="VIJ",
        country="DE",
        kinds=("ngo",),
        city="Stuttgart",
        names={
            "de": (
                "Verein für Internationale Jugendarbeit e.V. Landesverein Württemberg"
            )
        },
        description=(
            "German partner of Pro Refugiu Association in the project on "
            "cooperation between anti-trafficking stakeholders and economic "
            "sectors; it hosted the transnational experts meeting in Stuttgart "
            "on 12 April 2019."
        ),
        descriptions={
            "de": (
                "Deutscher Partner der Pro Refugiu Association im Projekt zur "
                "Zusammenarbeit von Akteuren gegen Menschenhandel mit der "
                "Wirtschaft; Gastgeber des transnationalen Expertentreffens in "
                "Stuttgart am 12. April 2019."
            )
        },
    ),
    DemoOrganization(
        slug="la-strada-international",
        name="La Strada International",
        country="NL",
        kinds=("network",),
        city="Amsterdam",
        description=(
            "Coordinator of the project Justice at Last – European Action for "
            "Compensation for Victims of Crime, implemented with NGO partners in "
            "10 European countries."
        ),
    ),
    DemoOrganization(
        slug="kok",
        name="KOK – German NGO network against trafficking in human beings",
        alternate_name="KOK",
        country="DE",
        kinds=("network",),
        city="Berlin",
        names={
            "de": "KOK – Bundesweiter Koordinierungskreis gegen Menschenhandel e.V."
        },
        description="German NGO network against trafficking in human beings.",
        descriptions={
            "de": "Bundesweites Netzwerk von Fachberatungsstellen gegen Menschenhandel."
        },
    ),
    DemoOrganization(
        slug="ecpat-germany",
        name="ECPAT Germany",
        country="DE",
        kinds=("ngo",),
        city="Freiburg",
        names={"de": "ECPAT Deutschland e.V."},
        description="International partner of Pro Refugiu Association in Germany.",
    ),
    DemoOrganization(
        slug="bulgarian-gender-research-foundation",
        name="Bulgarian Gender Research Foundation",
        country="BG",
        kinds=("ngo",),
        city="Sofia",
        names={"bg": "Българска фондация „Изследвания на пола“"},
        description="International partner of Pro Refugiu Association in Bulgaria.",
    ),
    DemoOrganization(
        slug="heuni",
        name=(
            "European Institute for Crime Prevention and Control, affiliated with "
            "the United Nations"
        ),
        alternate_name="HEUNI",
        country="FI",
        kinds=("international-organization",),
        city="Helsinki",
        description="International partner of Pro Refugiu Association, in Finland.",
    ),
    DemoOrganization(
        slug="eu-civil-society-platform-thb",
        name="EU Civil Society Platform against Trafficking in Human Beings",
        country="BE",
        kinds=("network",),
        city="Brussels",
        description=(
            "Network of civil society organisations of which Pro Refugiu "
            "Association is a member; it met in Brussels on 13–14 June and "
            "5–6 December 2019."
        ),
    ),
    DemoOrganization(
        slug="fra",
        name="European Union Agency for Fundamental Rights",
        alternate_name="FRA",
        country="AT",
        kinds=("international-organization",),
        city="Vienna",
        names={
            "ro": "Agenția pentru Drepturi Fundamentale a Uniunii Europene",
            "de": "Agentur der Europäischen Union für Grundrechte",
        },
        description="The EU agency that runs the Fundamental Rights Platform.",
    ),
    DemoOrganization(
        slug="fundamental-rights-platform",
        name=(
            "Fundamental Rights Platform of the European Union Agency for "
            "Fundamental Rights"
        ),
        country="AT",
        kinds=("network",),
        parent="fra",
        description=(
            "Network of civil society organisations of which Pro Refugiu "
            "Association is a member."
        ),
    ),
    DemoOrganization(
        slug="european-commission",
        name="European Commission",
        country="BE",
        kinds=("international-organization",),
        city="Brussels",
        names={
            "ro": "Comisia Europeană",
            "bg": "Европейска комисия",
            "de": "Europäische Kommission",
            "sv": "Europeiska kommissionen",
            "es": "Comisión Europea",
            "el": "Ευρωπαϊκή Επιτροπή",
            "it": "Commissione europea",
            "fr": "Commission européenne",
        },
        description=(
            "Its representatives attended the final conference of the project on "
            "referral and assistance for victims of trafficking in Brussels, "
            "29–30 November 2018."
        ),
    ),
    DemoOrganization(
        slug="anitp",
        name="National Agency against Trafficking in Persons",
        alternate_name="ANITP",
        country="RO",
        kinds=("public-authority",),
        roles=("nrm-coordinator",),
        city="Bucharest",
        names={"ro": "Agenția Națională împotriva Traficului de Persoane"},
        description=(
            "Romanian anti-trafficking agency and national partner of Pro Refugiu "
            "Association; it coordinates the national mechanism for the "
            "identification and referral of victims of trafficking."
        ),
        descriptions={
            "ro": (
                "Agenția română de luptă împotriva traficului de persoane, "
                "partener național al Asociației Pro Refugiu; coordonează "
                "mecanismul național de identificare și referire a victimelor "
                "traficului de persoane."
            )
        },
    ),
    DemoOrganization(
        slug="igi",
        name="Romanian General Inspectorate for Immigration",
        alternate_name="IGI",
        country="RO",
        kinds=("public-authority",),
        city="Bucharest",
        names={"ro": "Inspectoratul General pentru Imigrări"},
        description=(
            "Romania's immigration authority and a national partner of Pro "
            "Refugiu Association."
        ),
        descriptions={
            "ro": (
                "Autoritatea română pentru imigrări, partener național al "
                "Asociației Pro Refugiu."
            )
        },
    ),
    DemoOrganization(
        slug="inm",
        name="National Institute for Magistracy",
        alternate_name="INM",
        country="RO",
        kinds=("public-authority",),
        city="Bucharest",
        names={"ro": "Institutul Național al Magistraturii"},
        description="National partner of Pro Refugiu Association.",
        descriptions={"ro": "Partener național al Asociației Pro Refugiu."},
    ),
    DemoOrganization(
        slug="bucharest-bar",
        name="Bucharest Bar",
        country="RO",
        kinds=("bar-association",),
        parent="national-union-of-romanian-bars",
        city="Bucharest",
        names={"ro": "Baroul București"},
        description=(
            "National partner of Pro Refugiu Association; its lawyers took part "
            "in the Bucharest conference on the economic sectors and human "
            "trafficking, 27 September 2019."
        ),
        descriptions={
            "ro": (
                "Partener național al Asociației Pro Refugiu; avocații săi au "
                "participat la conferința din București privind sectoarele "
                "economice și traficul de persoane, 27 septembrie 2019."
            )
        },
    ),
    DemoOrganization(
        slug="anpcdefp",
        name=(
            "National Agency for Community Programmes for Education and "
            "Professional Development"
        ),
        alternate_name="ANPCDEFP",
        country="RO",
        kinds=("public-authority",),
        city="Bucharest",
        names={
            "ro": (
                "Agenția Națională pentru Programe Comunitare în Domeniul "
                "Educației și Formării Profesionale"
            )
        },
        description="National partner of Pro Refugiu Association.",
        descriptions={"ro": "Partener național al Asociației Pro Refugiu."},
    ),
    DemoOrganization(
        slug="university-of-bucharest-sociology",
        name="University of Bucharest, Faculty of Sociology and Social Assistance",
        country="RO",
        kinds=("academic",),
        city="Bucharest",
        names={
            "ro": "Universitatea din București, Facultatea de Sociologie și Asistență "
            "Socială"
        },
        description="National partner of Pro Refugiu Association.",
        descriptions={"ro": "Partener național al Asociației Pro Refugiu."},
    ),
    DemoOrganization(
        slug="betania-association",
        name="Betania Association",
        country="RO",
        kinds=("ngo",),
        names={"ro": "Asociația Betania"},
        description="National partner of Pro Refugiu Association.",
        descriptions={"ro": "Partener național al Asociației Pro Refugiu."},
    ),
    DemoOrganization(
        slug="people-to-people-foundation",
        name="People to People Foundation",
        country="RO",
        kinds=("ngo",),
        names={"ro": "Fundația People to People"},
        description="National partner of Pro Refugiu Association.",
        descriptions={"ro": "Partener național al Asociației Pro Refugiu."},
    ),
    DemoOrganization(
        slug="east-european-institute-reproductive-health",
        name="East European Institute for Reproductive Health",
        country="RO",
        kinds=("ngo",),
        city="Targu Mures",
        names={"ro": "Institutul Est European de Sănătate a Reproducerii"},
        description="National partner of Pro Refugiu Association.",
        descriptions={"ro": "Partener național al Asociației Pro Refugiu."},
    ),
    DemoOrganization(
        slug="dgaspc",
        name="General Directorates for Social Assistance and Child Protection",
        alternate_name="DGASPC",
        country="RO",
        kinds=("public-authority",),
        names={"ro": "Direcțiile Generale de Asistență Socială și Protecția Copilului"},
        description=(
            "The county and Bucharest sector social assistance and child "
            "protection authorities; national partners of Pro Refugiu "
            "Association, whose judges, prosecutors, lawyers, social workers and "
            "psychologists trained with it on women victims of crime in 2019."
        ),
        descriptions={
            "ro": (
                "Autoritățile județene și ale sectoarelor Bucureștiului pentru "
                "asistență socială și protecția copilului; parteneri naționali ai "
                "Asociației Pro Refugiu, ai căror asistenți sociali și psihologi "
                "au participat în 2019 la formări privind femeile victime ale "
                "infracțiunilor."
            )
        },
    ),
    DemoOrganization(
        slug="diicot",
        name="Directorate for Investigating Organised Crime and Terrorism",
        alternate_name="DIICOT",
        country="RO",
        kinds=("prosecutors-office",),
        city="Bucharest",
        names={
            "ro": (
                "Direcția de Investigare a Infracțiunilor de Criminalitate "
                "Organizată și Terorism"
            )
        },
        description=(
            "Romanian prosecutors' directorate for organised crime, including "
            "trafficking in persons; it took part in the Bucharest conference "
            "on the economic sectors and human trafficking, 27 September 2019."
        ),
        descriptions={
            "ro": (
                "Direcția de parchet pentru criminalitate organizată, inclusiv "
                "traficul de persoane; a participat la conferința din București "
                "privind sectoarele economice și traficul de persoane, "
                "27 septembrie 2019."
            )
        },
    ),
    DemoOrganization(
        slug="ministry-for-romanians-abroad",
        name="Ministry for Romanians Abroad",
        country="RO",
        kinds=("public-authority",),
        city="Bucharest",
        names={"ro": "Ministerul pentru Românii de Pretutindeni"},
        description=(
            "Took part in the Bucharest conference on the economic sectors and "
            "human trafficking, 27 September 2019."
        ),
        descriptions={
            "ro": (
                "A participat la conferința din București privind sectoarele "
                "economice și traficul de persoane, 27 septembrie 2019."
            )
        },
    ),
    DemoOrganization(
        slug="ministry-of-justice-romania",
        name="Ministry of Justice",
        country="RO",
        kinds=("public-authority",),
        city="Bucharest",
        names={"ro": "Ministerul Justiției"},
        description=(
            "Romania's Ministry of Justice; it took part in the Bucharest "
            "conference on the economic sectors and human trafficking, "
            "27 September 2019."
        ),
        descriptions={
            "ro": (
                "A participat la conferința din București privind sectoarele "
                "economice și traficul de persoane, 27 septembrie 2019."
            )
        },
    ),
    DemoOrganization(
        slug="agency-for-employment",
        name="Agency for Employment",
        country="RO",
        kinds=("public-authority",),
        city="Bucharest",
        names={"ro": "Agenția pentru Ocuparea Forței de Muncă"},
        description=(
            "Took part in the Bucharest conference on the economic sectors and "
            "human trafficking, 27 September 2019."
        ),
        descriptions={
            "ro": (
                "A participat la conferința din București privind sectoarele "
                "economice și traficul de persoane, 27 septembrie 2019."
            )
        },
    ),
    DemoOrganization(
        slug="hotel-industry-federation-romania",
        name="Hotel Industry Federation of Romania",
        alternate_name="FIHR",
        country="RO",
        kinds=("business-association",),
        city="Bucharest",
        names={"ro": "Federația Industriei Hoteliere din România"},
        description=(
            "Represented the hotel sector at the Bucharest conference on the "
            "economic sectors and human trafficking, 27 September 2019."
        ),
        descriptions={
            "ro": (
                "A reprezentat sectorul hotelier la conferința din București "
                "privind sectoarele economice și traficul de persoane, "
                "27 septembrie 2019."
            )
        },
    ),
    DemoOrganization(
        slug="romanian-police",
        name="Romanian Police",
        country="RO",
        kinds=("police",),
        city="Bucharest",
        names={"ro": "Poliția Română"},
        description=(
            "Its representatives trained with Pro Refugiu Association on women "
            "victims of crime in Bucharest, October 2019."
        ),
        descriptions={
            "ro": (
                "Reprezentanții săi au participat la formarea organizată de "
                "Asociația Pro Refugiu privind femeile victime ale infracțiunilor, "
                "București, octombrie 2019."
            )
        },
    ),
)

_THB = ("thb",)
_ASYLUM = ("asylum-seekers", "refugees")


def _pro_refugiu(
    slug: str,
    name: str,
    ro: str,
    types: tuple[str, ...],
    targets: tuple[str, ...],
    department: str,
    department_ro: str,
) -> DemoService:
    return DemoService(
        organization=PRO_REFUGIU,
        slug=slug,
        name=name,
        names={"ro": ro},
        description=f"Provided by Pro Refugiu Association's {department}.",
        descriptions={"ro": f"Oferit de {department_ro} al Asociației Pro Refugiu."},
        types=types,
        targets=targets,
        crimes=("trafficking",) if targets == _THB else (),
        languages=("ro",),
    )


_THB_DEPT = "Assistance Department for victims of human trafficking"
_THB_DEPT_RO = "Departamentul de asistență pentru victimele traficului de persoane"
_ASYLUM_DEPT = "Assistance Department for asylum seekers and refugees"
_ASYLUM_DEPT_RO = "Departamentul de asistență pentru solicitanții de azil și refugiați"

SERVICES: tuple[DemoService, ...] = (
    _pro_refugiu(
        "thb-legal",
        "Legal counselling and assistance for victims of human trafficking",
        "Consiliere și asistență juridică pentru victimele traficului de persoane",
        ("legal-counselling", "legal-representation"),
        _THB,
        _THB_DEPT,
        _THB_DEPT_RO,
    ),
    _pro_refugiu(
        "thb-social",
        "Social counselling and assistance for victims of human trafficking",
        "Consiliere și asistență socială pentru victimele traficului de persoane",
        ("social-counselling",),
        _THB,
        _THB_DEPT,
        _THB_DEPT_RO,
    ),
    _pro_refugiu(
        "thb-psychological",
        "Psychological counselling for victims of human trafficking",
        "Consiliere psihologică pentru victimele traficului de persoane",
        ("psychological-counselling",),
        _THB,
        _THB_DEPT,
        _THB_DEPT_RO,
    ),
    _pro_refugiu(
        "thb-medical-mediation",
        "Medical mediation for victims of human trafficking",
        "Mediere sanitară pentru victimele traficului de persoane",
        ("medical-care",),
        _THB,
        _THB_DEPT,
        _THB_DEPT_RO,
    ),
    _pro_refugiu(
        "asylum-legal",
        "Legal counselling and assistance for asylum seekers and refugees",
        "Consiliere și asistență juridică pentru solicitanții de azil și refugiați",
        ("legal-counselling", "legal-representation"),
        _ASYLUM,
        _ASYLUM_DEPT,
        _ASYLUM_DEPT_RO,
    ),
    _pro_refugiu(
        "asylum-social",
        "Social counselling and assistance for asylum seekers and refugees",
        "Consiliere și asistență socială pentru solicitanții de azil și refugiați",
        ("social-counselling",),
        _ASYLUM,
        _ASYLUM_DEPT,
        _ASYLUM_DEPT_RO,
    ),
    _pro_refugiu(
        "asylum-psychological",
        "Psychological counselling for asylum seekers and refugees",
        "Consiliere psihologică pentru solicitanții de azil și refugiați",
        ("psychological-counselling",),
        _ASYLUM,
        _ASYLUM_DEPT,
        _ASYLUM_DEPT_RO,
    ),
    _pro_refugiu(
        "asylum-cultural-mediation",
        "Cultural mediation for asylum seekers and refugees",
        "Mediere culturală pentru solicitanții de azil și refugiați",
        ("interpretation",),
        _ASYLUM,
        _ASYLUM_DEPT,
        _ASYLUM_DEPT_RO,
    ),
    DemoService(
        organization="anitp",
        slug="nrm",
        name=(
            "Coordination of the national mechanism for the identification and "
            "referral of victims of trafficking"
        ),
        names={
            "ro": (
                "Coordonarea mecanismului național de identificare și referire a "
                "victimelor traficului de persoane"
            )
        },
        description="",
        targets=_THB,
        crimes=("trafficking",),
    ),
    DemoService(
        organization="igi",
        slug="asylum",
        name="Asylum and immigration procedures",
        names={"ro": "Proceduri de azil și imigrație"},
        description="",
        types=("asylum-immigration",),
        targets=("asylum-seekers", "refugees", "migrants"),
    ),
    DemoService(
        organization="diicot",
        slug="prosecution",
        name="Investigation and prosecution of trafficking in persons",
        names={"ro": "Urmărirea penală a infracțiunilor de trafic de persoane"},
        description="",
        types=("prosecution",),
        targets=_THB,
        crimes=("trafficking",),
    ),
    DemoService(
        organization="romanian-police",
        slug="police",
        name="Reporting a crime to the police",
        names={"ro": "Sesizarea poliției"},
        description="",
        types=("police",),
        targets=("crime-victims",),
    ),
    DemoService(
        organization="bucharest-bar",
        slug="legal-representation",
        name="Legal representation by lawyers of the Bucharest Bar",
        names={
            "ro": (
                "Asistență și reprezentare juridică prin avocați ai Baroului București"
            )
        },
        description="",
        types=("legal-representation",),
        targets=("crime-victims",),
    ),
    DemoService(
        organization="dgaspc",
        slug="social-assistance",
        name="Social assistance and child protection",
        names={"ro": "Asistență socială și protecția copilului"},
        description="",
        types=("social-counselling", "psychological-counselling"),
        targets=("children", "women-violence", "crime-victims"),
    ),
    DemoService(
        organization="caritas-international-belgium",
        slug="refugee-support",
        name="Social support for asylum seekers and refugees",
        description="Demonstration entry: a plausible service, not checked.",
        types=("social-counselling",),
        targets=_ASYLUM,
        is_demo=True,
    ),
    DemoService(
        organization="trabe",
        slug="thb-support",
        name="Support for women victims of trafficking",
        names={"es": "Apoyo a mujeres víctimas de trata"},
        description="Demonstration entry: a plausible service, not checked.",
        types=("social-counselling",),
        targets=("thb", "women-violence"),
        crimes=("trafficking",),
        is_demo=True,
    ),
    DemoService(
        organization="demetra-association",
        slug="women-support",
        name="Counselling for women victims of violence",
        names={"bg": "Консултиране на жени, пострадали от насилие"},
        description="Demonstration entry: a plausible service, not checked.",
        types=("social-counselling", "psychological-counselling"),
        targets=("women-violence",),
        crimes=("domestic-violence", "gender-based-violence"),
        is_demo=True,
    ),
    DemoService(
        organization="bulgarian-gender-research-foundation",
        slug="legal-counselling",
        name="Legal counselling for women victims of violence",
        names={"bg": "Правно консултиране на жени, пострадали от насилие"},
        description="Demonstration entry: a plausible service, not checked.",
        types=("legal-counselling",),
        targets=("women-violence",),
        crimes=("domestic-violence",),
        is_demo=True,
    ),
    DemoService(
        organization="vij-wuerttemberg",
        slug="thb-counselling",
        name="Counselling for people affected by human trafficking",
        names={"de": "Beratung für Betroffene von Menschenhandel"},
        description="Demonstration entry: a plausible service, not checked.",
        types=("social-counselling",),
        targets=_THB,
        crimes=("trafficking",),
        is_demo=True,
    ),
    DemoService(
        organization="scandinavian-human-rights-lawyers",
        slug="legal-counselling",
        name="Legal counselling for victims of crime",
        names={"sv": "Juridisk rådgivning för brottsoffer"},
        description="Demonstration entry: a plausible service, not checked.",
        types=("legal-counselling",),
        targets=("crime-victims",),
        is_demo=True,
    ),
)


@dataclass
class LoadResult:
    written: int = 0
    unchanged: int = 0
    services: list[uuid.UUID] = field(default_factory=list)


def _put[M: models.Model](instance: M, result: LoadResult) -> M:
    """Save ``instance`` unless the stored row already holds the same values."""
    model = type(instance)
    stored = model._default_manager.filter(pk=instance.pk).first()
    if stored is not None:
        if snapshot(stored) == snapshot(instance):
            result.unchanged += 1
            return stored
        instance._state.adding = False
        if hasattr(stored, "created_at"):
            instance.created_at = stored.created_at  # type: ignore[attr-defined]
    directory_object_save(actor=ACTOR, instance=instance, reindex=False)
    result.written += 1
    return instance


def _translations(
    names: dict[str, str], descriptions: dict[str, str], *, name_field: str = "name"
) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for lang, text in names.items():
        out.setdefault(lang, {})[name_field] = text
    for lang, text in descriptions.items():
        out.setdefault(lang, {})["description"] = text
    return out


def _terms(taxonomy: str, codes: tuple[str, ...]) -> list[TaxonomyTerm]:
    return list(
        TaxonomyTerm.objects.filter(pk__in=[term_id(taxonomy, c) for c in codes])
    )


def _location(org: DemoOrganization, result: LoadResult) -> Location | None:
    if not org.city:
        return None
    city = CITIES[org.city]
    location = _put(
        Location(
            id=demo_id("location", org.slug),
            organization_id=demo_id("org", org.slug),
            name=city.name,
            language=_COUNTRY_LANGUAGE.get(city.country, "en"),
            translations=(
                {"en": {"name": city.english}} if city.english != city.name else {}
            ),
            latitude=city.latitude,
            longitude=city.longitude,
        ),
        result,
    )
    if org.slug == PRO_REFUGIU:
        _put(
            Address(
                id=demo_id("address", org.slug),
                location_id=location.pk,
                **PRO_REFUGIU_ADDRESS,
            ),
            result,
        )
    return location


@transaction.atomic
def demo_load() -> LoadResult:
    """Create or bring up to date the demonstration directory."""
    result = LoadResult()
    locations: dict[str, Location | None] = {}
    for org in ORGANIZATIONS:
        organization = _put(
            Organization(
                id=demo_id("org", org.slug),
                name=org.name,
                alternate_name=org.alternate_name,
                description=org.description,
                email=org.email,
                website=org.website,
                country=org.country,
                language="en",
                translations=_translations(org.names, org.descriptions),
                parent_organization_id=(
                    demo_id("org", org.parent) if org.parent else None
                ),
            ),
            result,
        )
        for label, url in org.links:
            _put(
                Url(
                    id=demo_id("url", f"{org.slug}/{url}"),
                    organization_id=organization.pk,
                    label=label,
                    url=url,
                ),
                result,
            )
        attributes_set(
            actor=ACTOR,
            link_entity="organization",
            link_id=organization.pk,
            taxonomy_code=ORGANIZATION_KIND,
            terms=_terms(ORGANIZATION_KIND, org.kinds),
        )
        if org.roles:
            attributes_set(
                actor=ACTOR,
                link_entity="organization",
                link_id=organization.pk,
                taxonomy_code=AUTHORITY_ROLE,
                terms=_terms(AUTHORITY_ROLE, org.roles),
            )
        locations[org.slug] = _location(org, result)

    for svc in SERVICES:
        key = f"{svc.organization}/{svc.slug}"
        service = _put(
            Service(
                id=demo_id("service", key),
                organization_id=demo_id("org", svc.organization),
                name=svc.name,
                description=svc.description,
                language="en",
                translations=_translations(svc.names, svc.descriptions),
                is_demo=svc.is_demo,
            ),
            result,
        )
        result.services.append(service.pk)
        location = locations.get(svc.organization)
        if location is not None:
            _put(
                ServiceAtLocation(
                    id=demo_id("service-at-location", key),
                    service_id=service.pk,
                    location_id=location.pk,
                ),
                result,
            )
        for code in svc.languages:
            _put(
                Language(
                    id=demo_id("language", f"{key}/{code}"),
                    service_id=service.pk,
                    code=code,
                ),
                result,
            )
        for taxonomy, codes in (
            (SERVICE_TYPE, svc.types),
            (TARGET_GROUP, svc.targets),
            (CRIME_TYPE, svc.crimes),
        ):
            attributes_set(
                actor=ACTOR,
                link_entity="service",
                link_id=service.pk,
                taxonomy_code=taxonomy,
                terms=_terms(taxonomy, codes),
            )
    search_index_refresh(result.services)
    return result
