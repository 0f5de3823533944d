"""An invented directory of any size, for demonstrations and benchmarks.

Organisations and services across the network's countries, written in each
country's language with translations, in real cities (native spellings, real
centre coordinates) but with invented streets, postal codes, phone numbers and
hours: everything is marked ``is_demo``. The same seed always gives the same
rows, ids included, so a benchmark database can be rebuilt exactly.

Writes go straight to ``bulk_create`` in batches (one transaction per batch)
because this data has no author and no history to keep; the search index is
then built by the same ``search_index_refresh`` every edit uses.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

from django.db import connection, models, transaction

from waypoint.directory.models import (
    Address,
    Attribute,
    CostOption,
    Language,
    Location,
    Organization,
    Phone,
    Schedule,
    Service,
    ServiceAtLocation,
    TaxonomyTerm,
)
from waypoint.directory.search import (
    IndexSource,
    LocationSource,
    ScheduleSource,
    TermSource,
    all_languages,
    full_text_at_the_end,
    rows_insert,
    search_index_build,
    translations_in_order,
)
from waypoint.directory.taxonomies import TAXONOMIES_BY_CODE
from waypoint.directory.taxonomies import term_id as _term_id
from waypoint.directory.taxonomy_data import (
    CRIME_TYPE,
    ORGANIZATION_KIND,
    SERVICE_TYPE,
    TARGET_GROUP,
)

PLATFORM_LANGUAGES = ("en", "ro", "bg", "de", "sv", "es", "el", "it")
CREATED_AT = dt.datetime(2026, 1, 1, 9, 0, tzinfo=dt.UTC)


@dataclass(frozen=True)
class GenCity:
    name: str
    english: str
    region: str
    latitude: float
    longitude: float
    postal_prefix: str
    language: str


@dataclass(frozen=True)
class GenCountry:
    code: str
    currency: str
    phone_prefix: str  # a mobile range: prefix plus ``phone_digits`` digits is valid
    phone_digits: int
    postal_format: str  # "#" is a digit, "@" a capital letter
    weight: int
    cities: tuple[GenCity, ...]


def _c(
    name: str,
    english: str,
    region: str,
    lat: float,
    lon: float,
    postal: str,
    lang: str,
) -> GenCity:
    return GenCity(name, english, region, lat, lon, postal, lang)


COUNTRIES: tuple[GenCountry, ...] = (
    GenCountry("RO", "RON", "+4072", 7, "######", 20, (
        _c("București", "Bucharest", "București", 44.4268, 26.1025, "0", "ro"),
        _c("Brașov", "Brasov", "Brașov", 45.6579, 25.6012, "50", "ro"),
        _c("Cluj-Napoca", "Cluj-Napoca", "Cluj", 46.7712, 23.6236, "40", "ro"),
        _c("Iași", "Iasi", "Iași", 47.1585, 27.6014, "70", "ro"),
        _c("Timișoara", "Timisoara", "Timiș", 45.7489, 21.2087, "30", "ro"),
        _c("Constanța", "Constanta", "Constanța", 44.1598, 28.6348, "90", "ro"),
        _c("Craiova", "Craiova", "Dolj", 44.3302, 23.7949, "20", "ro"),
    )),
    GenCountry("BG", "BGN", "+35988", 7, "####", 12, (
        _c("София", "Sofia", "София-град", 42.6977, 23.3219, "1", "bg"),
        _c("Пловдив", "Plovdiv", "Пловдив", 42.1354, 24.7453, "4", "bg"),
        _c("Варна", "Varna", "Варна", 43.2141, 27.9147, "9", "bg"),
        _c("Бургас", "Burgas", "Бургас", 42.5048, 27.4626, "8", "bg"),
    )),
    GenCountry("DE", "EUR", "+49151", 8, "#####", 14, (
        _c("Berlin", "Berlin", "Berlin", 52.5200, 13.4050, "1", "de"),
        _c("München", "Munich", "Bayern", 48.1351, 11.5820, "8", "de"),
        _c("Köln", "Cologne", "Nordrhein-Westfalen", 50.9375, 6.9603, "5", "de"),
        _c("Düsseldorf", "Dusseldorf", "Nordrhein-Westfalen", 51.2277, 6.7735, "4",
           "de"),
        _c("Stuttgart", "Stuttgart", "Baden-Württemberg", 48.7758, 9.1829, "7", "de"),
        _c("Hannover", "Hanover", "Niedersachsen", 52.3759, 9.7320, "3", "de"),
    )),
    GenCountry("SE", "SEK", "+4670", 7, "### ##", 8, (
        _c("Stockholm", "Stockholm", "Stockholms län", 59.3293, 18.0686, "1", "sv"),
        _c("Göteborg", "Gothenburg", "Västra Götalands län", 57.7089, 11.9746, "4",
           "sv"),
        _c("Malmö", "Malmo", "Skåne län", 55.6050, 13.0038, "2", "sv"),
        _c("Uppsala", "Uppsala", "Uppsala län", 59.8586, 17.6389, "75", "sv"),
    )),
    GenCountry("ES", "EUR", "+346", 8, "#####", 12, (
        _c("Madrid", "Madrid", "Comunidad de Madrid", 40.4168, -3.7038, "28", "es"),
        _c("Barcelona", "Barcelona", "Cataluña", 41.3874, 2.1686, "08", "es"),
        _c("Sevilla", "Seville", "Andalucía", 37.3891, -5.9845, "41", "es"),
        _c("Málaga", "Malaga", "Andalucía", 36.7213, -4.4214, "29", "es"),
        _c("Córdoba", "Cordoba", "Andalucía", 37.8882, -4.7794, "14", "es"),
    )),
    GenCountry("GR", "EUR", "+3069", 8, "### ##", 10, (
        _c("Αθήνα", "Athens", "Αττική", 37.9838, 23.7275, "1", "el"),
        _c("Θεσσαλονίκη", "Thessaloniki", "Κεντρική Μακεδονία", 40.6401, 22.9444,
           "5", "el"),
        _c("Πάτρα", "Patras", "Δυτική Ελλάδα", 38.2466, 21.7346, "26", "el"),
        _c("Ηράκλειο", "Heraklion", "Κρήτη", 35.3387, 25.1442, "71", "el"),
    )),
    GenCountry("IT", "EUR", "+39347", 7, "#####", 12, (
        _c("Roma", "Rome", "Lazio", 41.9028, 12.4964, "00", "it"),
        _c("Milano", "Milan", "Lombardia", 45.4642, 9.1900, "20", "it"),
        _c("Torino", "Turin", "Piemonte", 45.0703, 7.6869, "10", "it"),
        _c("Napoli", "Naples", "Campania", 40.8518, 14.2681, "80", "it"),
        _c("Palermo", "Palermo", "Sicilia", 38.1157, 13.3615, "90", "it"),
    )),
    GenCountry("BE", "EUR", "+32470", 6, "####", 6, (
        _c("Bruxelles", "Brussels", "Bruxelles-Capitale", 50.8503, 4.3517, "1", "fr"),
        _c("Liège", "Liege", "Wallonie", 50.6326, 5.5797, "4", "fr"),
        _c("Antwerpen", "Antwerp", "Vlaanderen", 51.2194, 4.4025, "2", "nl"),
        _c("Gent", "Ghent", "Vlaanderen", 51.0543, 3.7174, "9", "nl"),
    )),
    GenCountry("AT", "EUR", "+43664", 7, "####", 3, (
        _c("Wien", "Vienna", "Wien", 48.2082, 16.3738, "1", "de"),
        _c("Graz", "Graz", "Steiermark", 47.0707, 15.4395, "8", "de"),
        _c("Linz", "Linz", "Oberösterreich", 48.3069, 14.2858, "4", "de"),
    )),
    GenCountry("NL", "EUR", "+316", 8, "#### @@", 3, (
        _c("Amsterdam", "Amsterdam", "Noord-Holland", 52.3676, 4.9041, "10", "nl"),
        _c("Rotterdam", "Rotterdam", "Zuid-Holland", 51.9244, 4.4777, "30", "nl"),
        _c("Utrecht", "Utrecht", "Utrecht", 52.0907, 5.1214, "35", "nl"),
    )),
)  # fmt: skip

# Names in French and Dutch, for Belgium and the Netherlands, of the terms the
# generator uses (the taxonomy itself carries the platform's eight languages).
_EXTRA_TERM_NAMES: dict[str, dict[str, str]] = {
    "legal-counselling": {"fr": "Conseil juridique", "nl": "Juridisch advies"},
    "legal-representation": {
        "fr": "Représentation juridique",
        "nl": "Juridische bijstand",
    },
    "social-counselling": {"fr": "Accompagnement social", "nl": "Sociaal advies"},
    "psychological-counselling": {
        "fr": "Soutien psychologique",
        "nl": "Psychologische begeleiding",
    },
    "medical-care": {"fr": "Soins médicaux", "nl": "Medische zorg"},
    "shelter": {"fr": "Hébergement d'urgence", "nl": "Opvanghuis"},
    "interpretation": {"fr": "Interprétariat", "nl": "Tolken"},
    "compensation-claims": {
        "fr": "Indemnisation des victimes",
        "nl": "Slachtofferschadevergoeding",
    },
    "hotline": {"fr": "Ligne d'écoute", "nl": "Hulplijn"},
    "police": {"fr": "Police", "nl": "Politie"},
    "prosecution": {"fr": "Poursuites pénales", "nl": "Strafvervolging"},
    "court": {"fr": "Tribunal", "nl": "Rechtbank"},
    "return-reintegration": {
        "fr": "Retour et réintégration",
        "nl": "Terugkeer en re-integratie",
    },
    "asylum-immigration": {"fr": "Asile et immigration", "nl": "Asiel en migratie"},
    "labour-inspection": {"fr": "Inspection du travail", "nl": "Arbeidsinspectie"},
    "thb": {
        "fr": "Victimes de la traite des êtres humains",
        "nl": "Slachtoffers van mensenhandel",
    },
    "thb-sexual": {
        "fr": "Victimes de la traite à des fins d'exploitation sexuelle",
        "nl": "Slachtoffers van mensenhandel voor seksuele uitbuiting",
    },
    "thb-labour": {
        "fr": "Victimes de la traite à des fins d'exploitation par le travail",
        "nl": "Slachtoffers van mensenhandel voor economische uitbuiting",
    },
    "women-violence": {
        "fr": "Femmes victimes de violences",
        "nl": "Vrouwen die slachtoffer zijn van geweld",
    },
    "children": {"fr": "Enfants", "nl": "Kinderen"},
    "asylum-seekers": {"fr": "Demandeurs d'asile", "nl": "Asielzoekers"},
    "refugees": {"fr": "Réfugiés", "nl": "Vluchtelingen"},
    "migrants": {"fr": "Migrants", "nl": "Migranten"},
    "crime-victims": {
        "fr": "Victimes d'infractions en général",
        "nl": "Slachtoffers van misdrijven in het algemeen",
    },
}

_FOR = {
    "en": "for",
    "ro": "pentru",
    "bg": "за",
    "de": "für",
    "sv": "för",
    "es": "para",
    "el": "για",
    "it": "per",
    "fr": "pour les",
    "nl": "voor",
}
_AND = {
    "en": "and",
    "ro": "și",
    "bg": "и",
    "de": "und",
    "sv": "och",
    "es": "y",
    "el": "και",
    "it": "e",
    "fr": "et",
    "nl": "en",
}
_FREE_OPTION = {
    "en": "Free of charge",
    "ro": "Gratuit",
    "bg": "Безплатно",
    "de": "Kostenlos",
    "sv": "Kostnadsfritt",
    "es": "Gratuito",
    "el": "Δωρεάν",
    "it": "Gratuito",
    "fr": "Gratuit",
    "nl": "Gratis",
}

# The idea an invented NGO is named after, in each language it may be written in.
_NGO_WORDS: tuple[dict[str, str], ...] = (
    {"en": "Hope", "ro": "Speranța", "bg": "Надежда", "de": "Hoffnung", "sv": "Hopp",
     "es": "Esperanza", "el": "Ελπίδα", "it": "Speranza", "fr": "Espoir", "nl": "Hoop"},
    {"en": "Solidarity", "ro": "Solidaritate", "bg": "Солидарност",
     "de": "Solidarität", "sv": "Solidaritet", "es": "Solidaridad",
     "el": "Αλληλεγγύη", "it": "Solidarietà", "fr": "Solidarité",
     "nl": "Solidariteit"},
    {"en": "Bridge", "ro": "Punte", "bg": "Мост", "de": "Brücke", "sv": "Bron",
     "es": "Puente", "el": "Γέφυρα", "it": "Ponte", "fr": "Passerelle",
     "nl": "Brug"},
    {"en": "New Start", "ro": "Început Nou", "bg": "Нов старт", "de": "Neustart",
     "sv": "Nystart", "es": "Nuevo Comienzo", "el": "Νέα Αρχή",
     "it": "Nuovo Inizio", "fr": "Nouveau Départ", "nl": "Nieuw Begin"},
    {"en": "Open Door", "ro": "Ușa Deschisă", "bg": "Отворена врата",
     "de": "Offene Tür", "sv": "Öppen Dörr", "es": "Puerta Abierta",
     "el": "Ανοιχτή Πόρτα", "it": "Porta Aperta", "fr": "Porte Ouverte",
     "nl": "Open Deur"},
    {"en": "Safe Harbour", "ro": "Port Sigur", "bg": "Сигурен пристан",
     "de": "Sicherer Hafen", "sv": "Trygg Hamn", "es": "Puerto Seguro",
     "el": "Ασφαλές Λιμάνι", "it": "Porto Sicuro", "fr": "Port d'Attache",
     "nl": "Veilige Haven"},
    {"en": "Dignity", "ro": "Demnitate", "bg": "Достойнство", "de": "Würde",
     "sv": "Värdighet", "es": "Dignidad", "el": "Αξιοπρέπεια", "it": "Dignità",
     "fr": "Dignité", "nl": "Waardigheid"},
    {"en": "Together", "ro": "Împreună", "bg": "Заедно", "de": "Gemeinsam",
     "sv": "Tillsammans", "es": "Juntos", "el": "Μαζί", "it": "Insieme",
     "fr": "Ensemble", "nl": "Samen"},
)  # fmt: skip

# How each kind of body is named, per language; {w} is an NGO's word, {city} its city.
_ORG_NAMES: dict[str, dict[str, str]] = {
    "ngo": {
        "en": "{w} Association {city}", "ro": "Asociația {w} {city}",
        "bg": "Сдружение „{w}“ – {city}", "de": "{w} e.V. {city}",
        "sv": "Föreningen {w} {city}", "es": "Asociación {w} {city}",
        "el": "Σύλλογος «{w}» – {city}", "it": "Associazione {w} {city}",
        "fr": "Association {w} {city}", "nl": "Stichting {w} {city}",
    },
    "public-authority": {
        "en": "{city} Social Services", "ro": "Direcția de Asistență Socială {city}",
        "bg": "Дирекция „Социално подпомагане“ – {city}", "de": "Sozialamt {city}",
        "sv": "Socialtjänsten {city}", "es": "Servicios Sociales de {city}",
        "el": "Κοινωνική Υπηρεσία – {city}", "it": "Servizi Sociali – {city}",
        "fr": "CPAS de {city}", "nl": "OCMW {city}",
    },
    "police": {
        "en": "{city} Police", "ro": "Inspectoratul de Poliție {city}",
        "bg": "Областна дирекция на МВР – {city}", "de": "Polizeipräsidium {city}",
        "sv": "Polisen {city}", "es": "Comisaría de Policía de {city}",
        "el": "Αστυνομική Διεύθυνση – {city}", "it": "Questura di {city}",
        "fr": "Zone de police {city}", "nl": "Politiezone {city}",
    },
    "prosecutors-office": {
        "en": "{city} Public Prosecutor's Office",
        "ro": "Parchetul de pe lângă Tribunalul {city}",
        "bg": "Районна прокуратура – {city}", "de": "Staatsanwaltschaft {city}",
        "sv": "Åklagarkammaren i {city}", "es": "Fiscalía Provincial de {city}",
        "el": "Εισαγγελία Πρωτοδικών – {city}",
        "it": "Procura della Repubblica di {city}",
        "fr": "Parquet de {city}", "nl": "Parket {city}",
    },
    "bar-association": {
        "en": "{city} Bar Association", "ro": "Baroul {city}",
        "bg": "Адвокатска колегия – {city}", "de": "Rechtsanwaltskammer {city}",
        "sv": "Advokatsamfundet – avdelning {city}",
        "es": "Colegio de Abogados de {city}",
        "el": "Δικηγορικός Σύλλογος – {city}", "it": "Ordine degli Avvocati di {city}",
        "fr": "Barreau de {city}", "nl": "Orde van Advocaten {city}",
    },
}  # fmt: skip

# Kinds of body, how often each is drawn, and the service types each offers.
_KINDS: tuple[tuple[str, int, tuple[str, ...]], ...] = (
    ("ngo", 70, (
        "legal-counselling", "social-counselling", "psychological-counselling",
        "shelter", "hotline", "interpretation", "medical-care",
        "return-reintegration", "compensation-claims", "legal-representation",
    )),
    ("public-authority", 14, (
        "social-counselling", "asylum-immigration", "shelter", "labour-inspection",
    )),
    ("police", 7, ("police", "hotline")),
    ("prosecutors-office", 4, ("prosecution", "compensation-claims")),
    ("bar-association", 5, ("legal-representation", "legal-counselling")),
)  # fmt: skip
_TARGETS = (
    "thb", "thb-sexual", "thb-labour", "women-violence", "children",
    "asylum-seekers", "refugees", "migrants", "crime-victims",
)  # fmt: skip
_CRIMES_BY_TARGET = {
    "thb": "trafficking",
    "thb-sexual": "trafficking",
    "thb-labour": "labour-exploitation",
    "women-violence": "gender-based-violence",
    "children": "child-abuse",
    "crime-victims": "violent-crime",
}
_SPOKEN_EXTRA = ("en", "fr", "ar", "uk", "ru", "tr", "fa", "es", "ro", "bg", "de")

_STREETS: dict[str, tuple[str, tuple[str, ...]]] = {
    "ro": (
        "Strada {s} nr. {n}",
        ("Libertății", "Unirii", "Mihai Eminescu", "Florilor", "Independenței"),
    ),
    "bg": (
        "ул. „{s}“ № {n}",
        ("Васил Левски", "Христо Ботев", "Шипка", "Раковски", "Княз Борис I"),
    ),
    "de": (
        "{s} {n}",
        ("Hauptstraße", "Lindenstraße", "Schillerstraße", "Gartenweg", "Bahnhofstraße"),
    ),
    "sv": (
        "{s} {n}",
        ("Storgatan", "Kyrkogatan", "Drottninggatan", "Skolgatan", "Parkvägen"),
    ),
    "es": (
        "Calle {s}, {n}",
        ("Mayor", "Real", "del Carmen", "de la Paz", "San Juan"),
    ),
    "el": (
        "Οδός {s} {n}",
        ("Ερμού", "Ελευθερίας", "Αγίου Νικολάου", "Κολοκοτρώνη", "Ειρήνης"),
    ),
    "it": (
        "Via {s}, {n}",
        ("Roma", "Garibaldi", "Dante Alighieri", "Giuseppe Mazzini", "della Pace"),
    ),
    "fr": (
        "Rue {s} {n}",
        ("de la Paix", "des Champs", "de l'Église", "du Marché", "Haute"),
    ),
    "nl": (
        "{s} {n}",
        ("Kerkstraat", "Molenstraat", "Dorpsstraat", "Stationsstraat", "Nieuwstraat"),
    ),
}

_WEEKDAYS = "MO,TU,WE,TH,FR"
_ALL_DAYS = "MO,TU,WE,TH,FR,SA,SU"
_HOURS = ((8, 16), (9, 17), (9, 17), (10, 18), (9, 13))


# uuid5 hashes on every call; the generator asks for the same few dozen ids.
term_id = lru_cache(maxsize=512)(_term_id)


@lru_cache(maxsize=4096)
def _term_name(code: str, taxonomy: str, language: str) -> str:
    extra = _EXTRA_TERM_NAMES.get(code, {})
    if language in extra:
        return extra[language]
    for term in TAXONOMIES_BY_CODE[taxonomy].terms:
        if term.code == code:
            return term.names.get(language) or term.names["en"]
    raise KeyError(code)


def _lower_first(text: str, language: str) -> str:
    # German capitalises nouns; elsewhere a target group reads in lower case.
    if language == "de" or not text:
        return text
    return text[0].lower() + text[1:]


@dataclass
class GenerationResult:
    organizations: int = 0
    services: int = 0
    rows: int = 0
    service_ids: list[uuid.UUID] = field(default_factory=list)


class _Table:
    """Rows of one model as plain tuples, every column filled (defaults too)."""

    def __init__(self, model: type[models.Model]) -> None:
        self.model = model
        self.fields = [f.name for f in model._meta.concrete_fields]
        self.defaults = {
            f.name: f.get_default()
            for f in model._meta.concrete_fields
            if not f.primary_key
        }
        self.rows: list[tuple[object, ...]] = []

    def add(self, **values: object) -> None:
        self.rows.append(tuple(map({**self.defaults, **values}.get, self.fields)))


# Parents before children, so that foreign keys hold at every insert.
_MODELS: tuple[type[models.Model], ...] = (
    Organization,
    Location,
    Address,
    Service,
    ServiceAtLocation,
    Phone,
    Schedule,
    Language,
    CostOption,
    Attribute,
)


class _Batch:
    def __init__(self) -> None:
        self.tables = {model: _Table(model) for model in _MODELS}
        self.sources: list[IndexSource] = []

    def __getitem__(self, model: type[models.Model]) -> _Table:
        return self.tables[model]

    def size(self) -> int:
        return sum(len(t.rows) for t in self.tables.values())

    def flush(self) -> int:
        """Write the rows and their search index in one transaction."""
        written = 0
        with transaction.atomic():
            for table in self.tables.values():
                rows_insert(table.model, table.fields, table.rows)
                written += len(table.rows)
                table.rows.clear()
            search_index_build(self.sources)
        self.sources.clear()
        return written


class Generator:
    """Draws a directory from one seeded random stream."""

    def __init__(self, seed: int) -> None:
        # Reproducible invented data, not secrets.
        self.rng = random.Random(seed)  # noqa: S311

    def uid(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def digits(self, n: int) -> str:
        return str(self.rng.randrange(10**n)).zfill(n)

    def postal_code(self, country: GenCountry, city: GenCity) -> str:
        out = []
        prefix = list(city.postal_prefix)
        for ch in country.postal_format:
            if ch == "#":
                out.append(prefix.pop(0) if prefix else str(self.rng.randrange(10)))
            elif ch == "@":
                out.append(self.rng.choice("ABCDEFGHJKLMNPRSTVWXZ"))
            else:
                out.append(ch)
        return "".join(out)

    def phone(self, country: GenCountry) -> str:
        return country.phone_prefix + self.digits(country.phone_digits)

    def other_languages(self, local: str) -> list[str]:
        pool = [lang for lang in PLATFORM_LANGUAGES if lang not in (local, "en")]
        return self.rng.sample(pool, self.rng.randint(1, 3))


def _term_sources(taxonomy: str, link_entity: str) -> dict[str, TermSource]:
    """How the index sees each term of a taxonomy (names in every language)."""
    return {
        term.code: TermSource(
            names=all_languages(term, "name"),
            taxonomy_code=taxonomy,
            code=term.code,
            link_entity=link_entity,
        )
        for term in TaxonomyTerm.objects.filter(taxonomy_ref__code=taxonomy)
    }


@dataclass
class _Context:
    gen: Generator
    batch: _Batch
    result: GenerationResult
    terms: dict[str, dict[str, TermSource]]


def generate_directory(
    *,
    services: int,
    seed: int,
    batch_size: int = 5000,
    progress: Callable[[str], None] | None = None,
) -> GenerationResult:
    """Create ``services`` invented services (and about a quarter as many
    organisations) with their search index. Deterministic for a given seed."""
    gen = Generator(seed)
    say = progress or (lambda _text: None)
    ctx = _Context(
        gen=gen,
        batch=_Batch(),
        result=GenerationResult(),
        terms={
            SERVICE_TYPE: _term_sources(SERVICE_TYPE, "service"),
            TARGET_GROUP: _term_sources(TARGET_GROUP, "service"),
            CRIME_TYPE: _term_sources(CRIME_TYPE, "service"),
            ORGANIZATION_KIND: _term_sources(ORGANIZATION_KIND, "organization"),
        },
    )
    # One transaction: a failed run leaves nothing behind, and SQLite's
    # full-text index can be built once at the end instead of row by row.
    with transaction.atomic(), _large_page_cache(), full_text_at_the_end():
        _generate(ctx, services=services, batch_size=batch_size, say=say)
    return ctx.result


@contextmanager
def _large_page_cache() -> Iterator[None]:
    """Let SQLite keep the indexes being filled in memory while loading.

    Random ids land all over every index, so once the indexes outgrow the
    usual page cache each insert reads pages back from disk.
    """
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        previous = int(cursor.fetchone()[0])
        cursor.execute("PRAGMA cache_size=-1048576")  # 1 GiB
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size={previous:d}")


def _generate(
    ctx: _Context, *, services: int, batch_size: int, say: Callable[[str], None]
) -> None:
    gen, rng = ctx.gen, ctx.gen.rng
    result, batch = ctx.result, ctx.batch
    country_weights = [c.weight for c in COUNTRIES]
    kind_weights = [k[1] for k in _KINDS]
    reported = 0

    while result.services < services:
        country = rng.choices(COUNTRIES, weights=country_weights)[0]
        city = rng.choice(country.cities)
        local = city.language
        kind, _weight, kind_types = rng.choices(_KINDS, weights=kind_weights)[0]
        word = rng.choice(_NGO_WORDS)
        translation_languages = ["en", *gen.other_languages(local)]

        def org_name(
            language: str,
            kind: str = kind,
            word: dict[str, str] = word,
            town: GenCity = city,
        ) -> str:
            template = _ORG_NAMES[kind][language]
            city_name = town.english if language == "en" else town.name
            return template.format(w=word[language], city=city_name)

        org_id = gen.uid()
        org_translations = {
            lang: {"name": org_name(lang)}
            for lang in translation_languages
            if lang != local
        }
        batch[Organization].add(
            id=org_id,
            name=org_name(local),
            description="",
            country=country.code,
            language=local,
            translations=org_translations,
            is_demo=True,
            created_at=CREATED_AT,
            updated_at=CREATED_AT,
        )
        batch[Attribute].add(
            id=gen.uid(),
            link_id=org_id,
            link_entity="organization",
            link_type=ORGANIZATION_KIND,
            taxonomy_term=term_id(ORGANIZATION_KIND, kind),
        )
        result.organizations += 1

        location_id = gen.uid()
        location_translations = (
            {"en": {"name": city.english}} if city.english != city.name else {}
        )
        latitude = round(city.latitude + rng.uniform(-0.04, 0.04), 5)
        longitude = round(city.longitude + rng.uniform(-0.06, 0.06), 5)
        batch[Location].add(
            id=location_id,
            organization=org_id,
            name=city.name,
            language=local,
            translations=location_translations,
            latitude=latitude,
            longitude=longitude,
            is_demo=True,
            created_at=CREATED_AT,
            updated_at=CREATED_AT,
        )
        street_template, streets = _STREETS[local]
        batch[Address].add(
            id=gen.uid(),
            location=location_id,
            address_1=street_template.format(
                s=rng.choice(streets), n=rng.randint(1, 180)
            ),
            city=city.name,
            state_province=city.region,
            postal_code=gen.postal_code(country, city),
            country=country.code,
        )
        batch[Phone].add(
            id=gen.uid(),
            organization=org_id,
            number=gen.phone(country),
            is_demo=True,
        )
        location_source = LocationSource(
            latitude=latitude,
            longitude=longitude,
            names=[
                city.name,
                *(t["name"] for t in translations_in_order(location_translations)),
            ],
            addresses=[(country.code, city.name, "", city.region)],
            languages=[],
        )
        org_names = [
            org_name(local),
            *(t["name"] for t in translations_in_order(org_translations)),
        ]
        org_terms = [ctx.terms[ORGANIZATION_KIND][kind]]

        for _n in range(rng.randint(1, 7)):
            if result.services >= services:
                break
            _service_add(
                ctx,
                country=country,
                city=city,
                kind_types=kind_types,
                org_id=org_id,
                org_name=org_name,
                org_names=org_names,
                org_terms=org_terms,
                location_id=location_id,
                location_source=location_source,
                translation_languages=translation_languages,
            )
        if batch.size() >= batch_size * 12:
            result.rows += batch.flush()
            if result.services - reported >= 10000 or result.services == services:
                reported = result.services
                say(f"  {result.services:>8} services written and indexed")
    result.rows += batch.flush()
    say(f"  {result.services:>8} services written and indexed")


def _service_add(
    ctx: _Context,
    *,
    country: GenCountry,
    city: GenCity,
    kind_types: tuple[str, ...],
    org_id: uuid.UUID,
    org_name: Callable[[str], str],
    org_names: list[str],
    org_terms: list[TermSource],
    location_id: uuid.UUID,
    location_source: LocationSource,
    translation_languages: list[str],
) -> None:
    gen, batch = ctx.gen, ctx.batch
    rng = gen.rng
    local = city.language
    types = [rng.choice(kind_types)]
    if rng.random() < 0.3:
        second = rng.choice(kind_types)
        if second not in types:
            types.append(second)
    targets = rng.sample(_TARGETS, rng.randint(1, 3))

    def name(language: str) -> str:
        city_name = city.english if language == "en" else city.name
        return f"{_term_name(types[0], SERVICE_TYPE, language)} – {city_name}"

    def description(language: str) -> str:
        kinds = f" {_AND[language]} ".join(
            _term_name(t, SERVICE_TYPE, language) for t in types
        )
        groups = ", ".join(
            _lower_first(_term_name(t, TARGET_GROUP, language), language)
            for t in targets
        )
        return f"{kinds} {_FOR[language]} {groups}. {org_name(language)}."

    service_id = gen.uid()
    translations = {
        lang: {"name": name(lang), "description": description(lang)}
        for lang in translation_languages
        if lang != local
    }
    own_name, own_description = name(local), description(local)
    batch[Service].add(
        id=service_id,
        organization=org_id,
        name=own_name,
        description=own_description,
        language=local,
        translations=translations,
        is_demo=True,
        created_at=CREATED_AT,
        updated_at=CREATED_AT,
    )
    ctx.result.services += 1
    ctx.result.service_ids.append(service_id)
    batch[ServiceAtLocation].add(id=gen.uid(), service=service_id, location=location_id)
    crimes = sorted({_CRIMES_BY_TARGET[t] for t in targets if t in _CRIMES_BY_TARGET})
    terms: list[TermSource] = []
    for taxonomy, codes in (
        (SERVICE_TYPE, types),
        (TARGET_GROUP, targets),
        (CRIME_TYPE, crimes),
    ):
        for code in codes:
            batch[Attribute].add(
                id=gen.uid(),
                link_id=service_id,
                link_entity="service",
                link_type=taxonomy,
                taxonomy_term=term_id(taxonomy, code),
            )
            terms.append(ctx.terms[taxonomy][code])

    spoken = [local]
    if rng.random() < 0.6:
        spoken.append("en")
    for extra in rng.sample(_SPOKEN_EXTRA, rng.randint(0, 2)):
        if extra not in spoken:
            spoken.append(extra)
    for code in spoken:
        batch[Language].add(id=gen.uid(), service=service_id, code=code)

    schedules: list[ScheduleSource] = []
    hotline = "hotline" in types
    if hotline:
        batch[Schedule].add(
            id=gen.uid(),
            service=service_id,
            byday=_ALL_DAYS,
            opens_at=dt.time(0, 0),
            closes_at=dt.time(0, 0),
            description="24/7",
            is_demo=True,
        )
        schedules.append(ScheduleSource(0, 0, _ALL_DAYS.split(",")))
    else:
        opens, closes = rng.choice(_HOURS)
        batch[Schedule].add(
            id=gen.uid(),
            service=service_id,
            byday=_WEEKDAYS,
            opens_at=dt.time(opens, 0),
            closes_at=dt.time(closes, 0),
            is_demo=True,
        )
        schedules.append(ScheduleSource(opens * 60, closes * 60, _WEEKDAYS.split(",")))
        if rng.random() < 0.15:
            batch[Schedule].add(
                id=gen.uid(),
                service=service_id,
                byday="SA",
                opens_at=dt.time(10, 0),
                closes_at=dt.time(14, 0),
                is_demo=True,
            )
            schedules.append(ScheduleSource(600, 840, ["SA"]))

    free = rng.random() < 0.85
    amount = Decimal(0) if free else Decimal(rng.choice((20, 30, 50, 80, 100)))
    batch[CostOption].add(
        id=gen.uid(),
        service=service_id,
        option=_FREE_OPTION[local] if free else "",
        amount=amount,
        currency=country.currency,
    )
    if hotline or rng.random() < 0.3:
        batch[Phone].add(
            id=gen.uid(),
            service=service_id,
            number=gen.phone(country),
            type=Phone.PhoneType.VOICE,
            is_demo=True,
        )

    batch.sources.append(
        IndexSource(
            service_id=service_id,
            is_active=True,
            names=[own_name, *(t["name"] for t in translations_in_order(translations))],
            texts=[
                own_description,
                *(t["description"] for t in translations_in_order(translations)),
            ],
            organization_names=org_names,
            organization_country=country.code,
            locations=[location_source],
            languages=spoken,
            terms=terms + org_terms,
            cost_amounts=[amount],
            schedules=schedules,
        )
    )
