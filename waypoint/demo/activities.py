"""The demonstration activities: what Pro Refugiu's documents report.

Projects, events, publications, the awareness campaign, the partner network,
the departments and the 2019 report's own texts, taken from the 2019 annual
activity report (``seeds/003_…``) and the 2018 newsletter (``seeds/000_…``).
Only what those documents say is recorded: where they give a month or a year
rather than a day, the date's precision says so; where they say who attended
but not how many, the count is left empty; where they do not name an
organiser or a coordinator, none is set. Organisations are the demo
directory's, referred to by its stable ids, so ``load_demo`` runs first.

Loading is idempotent: ids are stable (uuid5 of a slug) and records whose
stored values already match are not written again.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from django.db import transaction

from waypoint.activities.models import (
    AnnualReport,
    Campaign,
    DatePrecision,
    Department,
    Event,
    EventType,
    FundingProgramme,
    ParticipantCount,
    ParticipantProfession,
    PartnerRole,
    Partnership,
    PartnershipKind,
    Project,
    ProjectPartner,
    Publication,
    PublicationType,
    StaffCount,
    StaffRole,
)
from waypoint.activities.services import (
    SaveTally,
    activity_record_save,
    event_participants_set,
    event_participating_set,
    project_partners_set,
)
from waypoint.demo.directory import PRO_REFUGIU, demo_id
from waypoint.directory.models import Organization

ACTOR = "demo data"
NAMESPACE = uuid.UUID("0d7c1f4e-6a55-4c3e-9f0b-2f1d7a9b5c31")

P = ParticipantProfession
MONTH = DatePrecision.MONTH
YEAR = DatePrecision.YEAR


def activity_id(kind: str, slug: str) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, f"{kind}/{slug}")


def org_id(slug: str) -> uuid.UUID:
    """The demo directory's id of an organisation."""
    return demo_id("org", slug)


@dataclass(frozen=True)
class DemoProject:
    slug: str
    title: str
    funding: FundingProgramme
    start: date
    end: date
    coordinator: str  # a demo directory slug, or "" when the source names none
    partners: tuple[str, ...]
    countries: tuple[str, ...]
    website: str
    objectives: str
    outputs: str = ""
    acronym: str = ""
    start_precision: DatePrecision = MONTH
    end_precision: DatePrecision = MONTH
    # Pro Refugiu's role when it is not the coordinator.
    member_role: PartnerRole | None = None


@dataclass(frozen=True)
class DemoEvent:
    slug: str
    project: str  # a DemoProject slug, or "" for events of others
    type: EventType
    title: str
    start: date
    city: str
    country: str
    end: date | None = None
    organiser: str = ""
    total: int | None = None
    professions: tuple[ParticipantProfession, ...] = ()
    countries: tuple[str, ...] = ()
    institutions: tuple[str, ...] = ()
    topics: str = ""
    speakers: str = ""
    description: str = ""
    context: str = ""
    participants_from: tuple[str, ...] = ()


@dataclass(frozen=True)
class DemoPublication:
    slug: str
    project: str
    type: PublicationType
    title: str
    summary: str
    published: date | None = None
    precision: DatePrecision = MONTH
    subtitle: str = ""
    audience: str = ""
    languages: tuple[str, ...] = ()


@dataclass(frozen=True)
class DemoDepartment:
    slug: str
    name: str
    responsibilities: str
    staff: tuple[tuple[StaffRole, int], ...] = ()
    kind: Department.Kind = Department.Kind.DEPARTMENT


NEWSLETTER_PROJECT = "thb-referral-2017"
PRO_VICTIMS = "pro-victims-justice"
RACCOMBAT = "raccombat"
JUSTICE_FOR_WOMEN = "justice-for-women"
NET_COMBAT = "net-combat-thb-chain"
TRAIN_PRO_RIGHTS = "train-pro-rights"

_LEGAL_SIX = (
    P.LAWYER,
    P.PROSECUTOR,
    P.JUDGE,
    P.POLICE_OFFICER,
    P.SOCIAL_WORKER,
    P.PSYCHOLOGIST,
)

PROJECTS: tuple[DemoProject, ...] = (
    DemoProject(
        slug=NEWSLETTER_PROJECT,
        title=(
            "Strengthening multidisciplinary cooperation to ensure an effective "
            "referral, assistance, rights protection for victims of human "
            "trafficking"
        ),
        funding=FundingProgramme.JUSTICE,
        start=date(2017, 1, 1),
        end=date(2018, 12, 31),
        coordinator=PRO_REFUGIU,
        partners=(
            "center-for-the-study-of-democracy",
            "caritas-international-belgium",
            "trabe",
            "scandinavian-human-rights-lawyers",
        ),
        countries=("RO", "BG", "BE", "ES", "SE"),
        website="http://ec.justice-project.prorefugiu.org/",
        objectives=(
            "To improve international cooperation to combat human trafficking "
            "and to ensure that victims have access to comprehensive legal "
            "assistance and other support services."
        ),
        outputs=(
            "Three local conferences in Romania, Bulgaria and Spain and one "
            "transnational final conference in Belgium disseminated the "
            "results of the project."
        ),
    ),
    DemoProject(
        slug=PRO_VICTIMS,
        title=(
            "Pro Victims Justice through an enhanced rights protection and "
            "stakeholders cooperation"
        ),
        funding=FundingProgramme.JUSTICE,
        start=date(2017, 9, 1),
        end=date(2019, 8, 31),
        coordinator=PRO_REFUGIU,
        partners=(
            "crime-prevention-council-lower-saxony",
            "center-for-the-study-of-democracy",
            "scandinavian-human-rights-lawyers",
            "national-union-of-romanian-bars",
        ),
        countries=("RO", "BG", "DE", "SE"),
        website="https://provictimsjustice.prorefugiu.org/",
        objectives=(
            "To promote methods and tools to ensure victims of crime receive "
            "proper assistance, to strengthen victims' role in the justice "
            "framework through exchange of best practices, transfer of "
            "expertise and networking among legal professionals from several "
            "EU Member States."
        ),
        outputs=(
            "A comprehensive study on institutions and organisations that have "
            "competencies in the protection of victims in Romania, Bulgaria, "
            "Germany and Sweden; an online platform as a public database with "
            "contact data of judicial institutions and organisations; a guide "
            "on the identification, referral and assistance of victims in "
            "domestic and cross-border cases; national and transnational "
            "events in the project countries."
        ),
    ),
    DemoProject(
        slug=RACCOMBAT,
        acronym="RACCOMBAT",
        title=(
            "Preventing and combatting racism and xenophobia through social "
            "orientation of non-nationals"
        ),
        funding=FundingProgramme.REC,
        start=date(2017, 1, 1),
        start_precision=YEAR,
        end=date(2019, 6, 30),
        coordinator="",
        partners=(),
        member_role=PartnerRole.PARTNER,
        countries=("RO", "BG", "BE", "GR", "LV", "AT"),
        website="http://raccombat-project.eu/",
        objectives="",
        outputs=(
            "In 2019 Pro Refugiu Association contributed to the mapping and "
            "analysis of social orientation programmes concerning the "
            "integration of third-country nationals in Europe, and to the "
            "implementation of national and transnational events."
        ),
    ),
    DemoProject(
        slug=JUSTICE_FOR_WOMEN,
        title=(
            "Towards a more effective rights protection and access to judicial "
            "procedures for victims of crime"
        ),
        funding=FundingProgramme.JUSTICE,
        start=date(2018, 9, 1),
        end=date(2020, 4, 30),
        coordinator=PRO_REFUGIU,
        partners=(
            "center-for-the-study-of-democracy",
            "demetra-association",
            "center-for-european-constitutional-law",
            "cild",
            "trabe",
        ),
        countries=("RO", "BG", "GR", "IT", "ES"),
        website="http://justiceforwomen.prorefugiu.eu/",
        objectives=(
            "To improve access to justice for women victims of violence, to "
            "increase the reporting of cases towards judicial stakeholders, to "
            "ensure financial compensation through an appropriate assessment "
            "of the damage suffered by victims."
        ),
    ),
    DemoProject(
        slug=NET_COMBAT,
        title=(
            "Anti-trafficking stakeholders and economic sectors networking, "
            "cooperation to combat the business of human trafficking chain"
        ),
        funding=FundingProgramme.ISF_POLICE,
        start=date(2018, 1, 1),
        start_precision=YEAR,
        end=date(2020, 4, 30),
        coordinator=PRO_REFUGIU,
        partners=(
            "vij-wuerttemberg",
            "center-for-the-study-of-democracy",
            "center-for-european-constitutional-law",
            "cild",
        ),
        countries=("RO", "DE", "BG", "GR", "IT"),
        website="http://net-combat-thb-chain.prorefugiu.eu",
        objectives=(
            "To analyse the link between human trafficking and the economic "
            "sectors that might be involved in the demand and supply chain for "
            "services and products obtained as result of victims' "
            "exploitation; to engage the economic sectors in sustainable "
            "cooperation with anti-trafficking stakeholders; to increase the "
            "awareness of the public through a social media campaign."
        ),
    ),
    DemoProject(
        slug=TRAIN_PRO_RIGHTS,
        title=(
            "Training lawyers, prosecutors, judges to ensure better rights "
            "protection for migrants and refugees victims of human trafficking"
        ),
        funding=FundingProgramme.JUSTICE,
        start=date(2019, 6, 1),
        end=date(2021, 2, 28),
        coordinator=PRO_REFUGIU,
        partners=(
            "center-for-the-study-of-democracy",
            "center-for-european-constitutional-law",
            "cild",
            "trabe",
        ),
        countries=("RO", "BG", "GR", "IT", "ES"),
        website="http://train-pro-rights.prorefugiu.eu/",
        objectives=(
            "To increase lawyers', prosecutors' and judges' knowledge of EU "
            "legislation and jurisprudence concerning rights protection for "
            "victims of human trafficking with a migrant and refugee "
            "background; to contribute to an effective and uniform application "
            "of EU law in cases concerning victims of human trafficking; to "
            "implement practice-oriented cross-border judicial trainings and to "
            "create tailor-made training materials."
        ),
    ),
)

_LOCAL_CONFERENCE_2018 = (
    "Disseminated the results of the project towards local anti-trafficking "
    "stakeholders and discussed the importance of multi-disciplinary "
    "cooperation in fighting human trafficking and assisting victims."
)
_LOCAL_CONFERENCE_2018_INSTITUTIONS = (
    "anti-trafficking governmental agencies",
    "law enforcement agencies",
    "non-governmental organisations",
    "social departments with competencies in assistance for victims",
)

EVENTS: tuple[DemoEvent, ...] = (
    # The newsletter's conferences, October and November 2018.
    DemoEvent(
        slug="2018-sofia-local-conference",
        project=NEWSLETTER_PROJECT,
        type=EventType.LOCAL_CONFERENCE,
        title="Local Conference in Sofia",
        start=date(2018, 10, 16),
        city="Sofia",
        country="BG",
        professions=(P.LAWYER, P.PROSECUTOR, P.JUDGE),
        institutions=_LOCAL_CONFERENCE_2018_INSTITUTIONS,
        topics=_LOCAL_CONFERENCE_2018,
    ),
    DemoEvent(
        slug="2018-bucharest-local-conference",
        project=NEWSLETTER_PROJECT,
        type=EventType.LOCAL_CONFERENCE,
        title="Local Conference in Bucharest",
        start=date(2018, 11, 1),
        city="Bucharest",
        country="RO",
        professions=(P.LAWYER, P.PROSECUTOR, P.JUDGE),
        institutions=_LOCAL_CONFERENCE_2018_INSTITUTIONS,
        topics=_LOCAL_CONFERENCE_2018,
    ),
    DemoEvent(
        slug="2018-madrid-local-conference",
        project=NEWSLETTER_PROJECT,
        type=EventType.LOCAL_CONFERENCE,
        title="Local Conference in Madrid",
        start=date(2018, 11, 27),
        city="Madrid",
        country="ES",
        professions=(P.LAWYER, P.PROSECUTOR, P.JUDGE),
        institutions=_LOCAL_CONFERENCE_2018_INSTITUTIONS,
        topics=_LOCAL_CONFERENCE_2018,
    ),
    DemoEvent(
        slug="2018-brussels-final-conference",
        project=NEWSLETTER_PROJECT,
        type=EventType.FINAL_CONFERENCE,
        title="Final Conference in Brussels",
        start=date(2018, 11, 29),
        end=date(2018, 11, 30),
        city="Brussels",
        country="BE",
        professions=(
            P.LAWYER,
            P.PROSECUTOR,
            P.JUDGE,
            P.SOCIAL_WORKER,
            P.PSYCHOLOGIST,
        ),
        countries=("BE", "BG", "RO", "ES", "SE", "DE", "UA", "AL"),
        institutions=("representatives of the European Commission",),
        topics=(
            "What the project achieved; the implications of human trafficking "
            "upon victims; the need to improve legal assistance and the "
            "referral procedures; the deontological principles that "
            "professionals coming into contact with victims should respect; "
            "the importance of multi-disciplinary work at transnational level."
        ),
    ),
    # Pro Victims Justice, 2019.
    DemoEvent(
        slug="2019-bucharest-seminar",
        project=PRO_VICTIMS,
        type=EventType.SEMINAR,
        title="Seminar in Romania",
        start=date(2019, 4, 5),
        end=date(2019, 4, 6),
        city="Bucharest",
        country="RO",
        organiser=PRO_REFUGIU,
        total=54,
        professions=_LEGAL_SIX,
        topics=(
            "Deontological and ethical principles when coming into contact "
            "with victims; communication in an empathic manner; psychological "
            "trauma and how to avoid re-victimisation in the criminal trial."
        ),
        description=(
            "A multi-disciplinary seminar on topics of current interest both "
            "for law practitioners and for other professional categories that "
            "come into contact with victims of crime."
        ),
    ),
    DemoEvent(
        slug="2019-bucharest-final-conference",
        project=PRO_VICTIMS,
        type=EventType.FINAL_CONFERENCE,
        title="Final Conference in Romania",
        start=date(2019, 6, 7),
        city="Bucharest",
        country="RO",
        total=51,
        countries=("RO", "BG", "DE", "SE"),
        description=(
            "Representatives of institutions and organisations discussed the "
            "results obtained in the project and how they can continue to be "
            "used to enhance the protection of the rights of victims of crime."
        ),
    ),
    # RACCOMBAT, 2019.
    DemoEvent(
        slug="2019-bucharest-raccombat-seminar",
        project=RACCOMBAT,
        type=EventType.SEMINAR,
        title="Seminar in Romania",
        start=date(2019, 4, 4),
        city="Bucharest",
        country="RO",
        organiser=PRO_REFUGIU,
        total=24,
        institutions=(
            "immigration authority",
            "social services of municipalities",
            "non-governmental organisations working on the integration of "
            "refugees and other third-country nationals",
        ),
        topics=(
            "Individual and collective causes of intolerance and "
            "discrimination; social orientation and language classes as "
            "strategies to combat racism and xenophobia towards migrants; "
            "guidelines on incorporating tolerance and mutual respect in "
            "language tuition and social orientation programmes."
        ),
    ),
    # Towards a more effective rights protection (women victims), 2019.
    DemoEvent(
        slug="2019-bucharest-national-experts-working-group",
        project=JUSTICE_FOR_WOMEN,
        type=EventType.WORKING_GROUP,
        title="National experts working group in Romania",
        start=date(2019, 3, 21),
        city="Bucharest",
        country="RO",
        total=33,
        professions=(P.LAWYER, P.PSYCHOLOGIST),
        institutions=(
            "courts",
            "prosecutor's office",
            "social assistance authorities",
            "non-governmental organisations",
        ),
        topics=(
            "The difficulties women encounter when accessing the justice "
            "system and how to simplify the procedures; the efficiency of the "
            "protection order issued by courts and by the police; the need "
            "for better referral procedures for victims to receive assistance."
        ),
    ),
    DemoEvent(
        slug="2019-madrid-experts-meeting",
        project=JUSTICE_FOR_WOMEN,
        type=EventType.EXPERTS_MEETING,
        title="Experts meeting in Spain",
        start=date(2019, 5, 10),
        city="Madrid",
        country="ES",
        total=18,
        professions=(
            P.LAWYER,
            P.LEGAL_POLICY_OFFICER,
            P.SOCIAL_WORKER,
            P.PSYCHOLOGIST,
            P.CONSULTANT,
        ),
        countries=("ES", "RO", "BG", "GR", "IT"),
        topics=(
            "The legal framework and practices concerning financial "
            "compensation for victims; difficulties in the judicial "
            "procedures; better indicators for assessing the damage suffered "
            "as a result of violence against women; approaching the business "
            "and economic sectors to involve them in preventing and combating "
            "human trafficking."
        ),
        description=(
            "Information on existing practices was used in drafting the guide "
            "on financial compensation for women victims of crime."
        ),
    ),
    DemoEvent(
        slug="2019-bucharest-workshop",
        project=JUSTICE_FOR_WOMEN,
        type=EventType.WORKSHOP,
        title="Workshop in Romania",
        start=date(2019, 10, 10),
        city="Bucharest",
        country="RO",
        total=41,
        professions=(
            P.JUDGE,
            P.PROSECUTOR,
            P.LAWYER,
            P.SOCIAL_WORKER,
            P.PSYCHOLOGIST,
        ),
        institutions=(
            "General Directorates for Social Assistance and Child Protection",
            "Romanian Police",
        ),
        speakers="Trainers (not counted among the 41 participants).",
        topics=(
            "The whole judicial process a woman victim of crime can go "
            "through, and how a well-functioning network of legal services, "
            "assistance and procedures influences its results; comprehensive "
            "psychiatric and psychological assessment of the victim as a "
            "routine practice, particularly in cases involving vulnerability."
        ),
        description=(
            "A one-day multidisciplinary workshop for Romanian specialists "
            "working with women victims of crime, from different fields and "
            "regions of the country, with case studies and practical "
            "applications."
        ),
    ),
    DemoEvent(
        slug="2019-bucharest-case-conference",
        project=JUSTICE_FOR_WOMEN,
        type=EventType.CASE_CONFERENCE,
        title="Case conference in Romania",
        start=date(2019, 10, 11),
        city="Bucharest",
        country="RO",
        total=24,
        professions=(
            P.JUDGE,
            P.PROSECUTOR,
            P.LAWYER,
            P.SOCIAL_WORKER,
            P.PSYCHOLOGIST,
            P.POLICE_OFFICER,
        ),
        topics=(
            "Burnout and vicarious traumatisation of specialists working with "
            "people who experienced trauma; the impact of working with "
            "victims; protective and stress management strategies."
        ),
    ),
    # Networking with economic sectors against trafficking, 2019.
    DemoEvent(
        slug="2019-stuttgart-transnational-experts-meeting",
        project=NET_COMBAT,
        type=EventType.EXPERTS_MEETING,
        title="Transnational Experts Meeting in Germany",
        start=date(2019, 4, 12),
        city="Stuttgart",
        country="DE",
        total=14,
        countries=("DE", "RO", "BG", "GR", "IT"),
        institutions=("anti-trafficking institutions and organisations",),
        topics=(
            "The criminal and civil liability of legal entities involved in "
            "the demand and supply chain of goods and services resulting from "
            "the exploitation of victims of human trafficking; the "
            "difficulties of approaching the business and economic sectors to "
            "involve them in preventing and combating human trafficking."
        ),
        speakers="Experts presented the particularities of each country.",
    ),
    DemoEvent(
        slug="2019-bucharest-local-conference",
        project=NET_COMBAT,
        type=EventType.LOCAL_CONFERENCE,
        title="Local conference in Romania",
        start=date(2019, 9, 27),
        city="Bucharest",
        country="RO",
        organiser=PRO_REFUGIU,
        total=24,
        professions=(P.LAWYER,),
        institutions=(
            "National Agency against Trafficking in Persons",
            "Hotel Industry Federation of Romania",
            "Directorate for Investigating Organised Crime and Terrorism",
            "Ministry for Romanians Abroad",
            "Bucharest Bar",
            "Ministry of Justice",
            "Agency for Employment",
            "non-governmental organisations",
        ),
        topics=(
            "Promoting the project's guide for the economic sectors among "
            "their representatives and other anti-trafficking actors; "
            "collaboration between governmental and non-governmental "
            "stakeholders and the economic sectors on awareness, "
            "identification of cases and cooperation with law enforcement."
        ),
    ),
    # Training lawyers, prosecutors, judges, 2019.
    DemoEvent(
        slug="2019-bucharest-transnational-experts-meeting",
        project=TRAIN_PRO_RIGHTS,
        type=EventType.EXPERTS_MEETING,
        title="Transnational experts meeting in Romania",
        start=date(2019, 9, 19),
        city="Bucharest",
        country="RO",
        professions=(P.LEGAL_EXPERT,),
        countries=("RO", "BG", "GR", "IT", "ES"),
        topics=(
            "The legal subjects to be used in the judicial trainings for "
            "lawyers, prosecutors and judges."
        ),
    ),
    # Events of others that Pro Refugiu took part in, 2019.
    DemoEvent(
        slug="2019-brussels-eu-platform-june",
        project="",
        type=EventType.NETWORK_MEETING,
        title="Meeting of the EU Civil Society Platform against Trafficking in "
        "Human Beings",
        start=date(2019, 6, 13),
        end=date(2019, 6, 14),
        city="Brussels",
        country="BE",
        participants_from=(PRO_REFUGIU,),
        context="EU Civil Society Platform against Trafficking in Human Beings",
    ),
    DemoEvent(
        slug="2019-brussels-exchange-seminar",
        project="",
        type=EventType.EXCHANGE_SEMINAR,
        title="Exchange Seminar",
        start=date(2019, 5, 27),
        end=date(2019, 5, 28),
        city="Brussels",
        country="BE",
        participants_from=(PRO_REFUGIU,),
        context=(
            "JUSTICE AT LAST – European Action for Compensation for Victims of "
            "Crime, coordinated by La Strada International and implemented "
            "with NGO partners in 10 European countries."
        ),
        speakers=(
            "Representatives of Pro Refugiu Association, invited to share "
            "their expertise on the procedures for the financial compensation "
            "of victims of crime in domestic and cross-border cases."
        ),
    ),
    DemoEvent(
        slug="2019-brussels-eu-platform-december",
        project="",
        type=EventType.NETWORK_MEETING,
        title="Meeting of the EU Civil Society Platform against Trafficking in "
        "Human Beings",
        start=date(2019, 12, 5),
        end=date(2019, 12, 6),
        city="Brussels",
        country="BE",
        participants_from=(PRO_REFUGIU,),
        context="EU Civil Society Platform against Trafficking in Human Beings",
    ),
)

PUBLICATIONS: tuple[DemoPublication, ...] = (
    DemoPublication(
        slug="newsletter-2018",
        project=NEWSLETTER_PROJECT,
        type=PublicationType.NEWSLETTER,
        title="Newsletter",
        summary=(
            "The local conferences in Sofia, Bucharest and Madrid and the final "
            "conference in Brussels of October and November 2018, which "
            "disseminated the results of the project."
        ),
        languages=("en",),
    ),
    DemoPublication(
        slug="thb-economic-sectors",
        project=NET_COMBAT,
        type=PublicationType.TOOLKIT,
        title=(
            "Human trafficking and the economic/business sectors susceptible "
            "to be involved in the demand and supply chain of products and "
            "services resulting from victims' exploitation"
        ),
        published=date(2019, 3, 1),
        audience="The economic sectors and anti-trafficking stakeholders.",
        summary=(
            "A study and toolkit to support the economic sectors in combating "
            "human trafficking in partnership with other stakeholders: the "
            "consequences human trafficking can have on the economic sectors, "
            "how employees can be trained to report cases to judicial and law "
            "enforcement authorities, a code of conduct for companies and "
            "their personnel, and the due diligence procedures companies "
            "should implement to avoid being involved in the demand and "
            "supply chain of services and products resulting from victims' "
            "exploitation."
        ),
    ),
    DemoPublication(
        slug="violence-against-women",
        project=JUSTICE_FOR_WOMEN,
        type=PublicationType.STUDY,
        title="Violence against women",
        subtitle=(
            "Key findings and strategies to tackle unreported cases and to "
            "enforce the protection order"
        ),
        # Listed among the 2019 outputs; the report gives no month.
        published=date(2019, 1, 1),
        precision=YEAR,
        summary=(
            "The situation of violence against women in Romania, Bulgaria, "
            "Greece, Italy and Spain and the common difficulties in ensuring "
            "better rights protection, with recommendations and strategies to "
            "improve the legislative framework and the social and educational "
            "issues that play a role in the fight against violence."
        ),
    ),
    DemoPublication(
        slug="financial-compensation-guide",
        project=JUSTICE_FOR_WOMEN,
        type=PublicationType.GUIDE,
        title="Financial compensation guide",
        subtitle="Cases concerning women victims of crime",
        # Listed among the 2019 outputs; the report gives no month.
        published=date(2019, 1, 1),
        precision=YEAR,
        audience=(
            "Judges and prosecutors in cases on financial compensation for "
            "women victims of crime, and lawyers who provide legal assistance."
        ),
        summary=(
            "The European and national legal framework on financial "
            "compensation, and the relevance of psychological and psychiatric "
            "reports and of other evidence for assessing the pecuniary and "
            "non-pecuniary damage suffered by women victims of crime."
        ),
    ),
)

CAMPAIGN_MESSAGES = (
    "Human trafficking is also happening online. Protect your kids from online "
    "predators.",
    "Do you pay a fair price for the products and services you use? Support "
    "fair pay and treatment for workers to reduce labor trafficking.",
    "Accept friend request. A horror story started online. Traffickers use "
    "social networks to connect with teens, gain their trust and start an "
    "online relation with the aim of exploit them for criminal purposes. "
    "Beware of online predators!",
    "Human trafficking happens right next to you. If you spot signs that a "
    "person is being exploited, report it to the local law enforcement. Your "
    "small action can save a person's life.",
)

PARTNERS: tuple[tuple[PartnershipKind, tuple[str, ...]], ...] = (
    (
        PartnershipKind.INTERNATIONAL,
        (
            "kok",
            "ecpat-germany",
            "crime-prevention-council-lower-saxony",
            "vij-wuerttemberg",
            "caritas-international-belgium",
            "center-for-the-study-of-democracy",
            "bulgarian-gender-research-foundation",
            "demetra-association",
            "center-for-european-constitutional-law",
            "cild",
            "trabe",
            "scandinavian-human-rights-lawyers",
            "heuni",
        ),
    ),
    (
        PartnershipKind.NATIONAL,
        (
            "anitp",
            "igi",
            "inm",
            "bucharest-bar",
            "national-union-of-romanian-bars",
            "anpcdefp",
            "university-of-bucharest-sociology",
            "betania-association",
            "people-to-people-foundation",
            "east-european-institute-reproductive-health",
            "dgaspc",
        ),
    ),
    (
        PartnershipKind.NETWORK,
        ("eu-civil-society-platform-thb", "fundamental-rights-platform"),
    ),
)

_COUNSELLING = (
    "Legal counselling and assistance; social counselling and assistance; "
    "psychological counselling."
)

DEPARTMENTS: tuple[DemoDepartment, ...] = (
    DemoDepartment(
        slug="steering-committee",
        name="Steering Committee",
        responsibilities="President; Vice-President; Secretary.",
        kind=Department.Kind.GOVERNANCE,
    ),
    DemoDepartment(
        slug="thb-assistance",
        name="Assistance Department for victims of human trafficking",
        responsibilities=_COUNSELLING,
        staff=(
            (StaffRole.LAWYER, 12),
            (StaffRole.PSYCHOLOGIST, 3),
            (StaffRole.SOCIAL_WORKER, 2),
            (StaffRole.MEDICAL_MEDIATOR, 1),
        ),
    ),
    DemoDepartment(
        slug="asylum-assistance",
        name="Assistance Department for asylum seekers and refugees",
        responsibilities=_COUNSELLING,
        staff=(
            (StaffRole.LAWYER, 12),
            (StaffRole.PSYCHOLOGIST, 3),
            (StaffRole.SOCIAL_WORKER, 2),
            (StaffRole.CULTURAL_MEDIATOR, 2),
        ),
    ),
    DemoDepartment(
        slug="training",
        name="Training Department",
        responsibilities=(
            "Organises trainings for legal, social and health professionals "
            "(lawyers, prosecutors, judges, police officers, social workers, "
            "psychologists) on victims' rights protection and refugees' "
            "rights according to national and international standards."
        ),
        staff=((StaffRole.TRAINER, 5),),
    ),
    DemoDepartment(
        slug="research",
        name="Research Department",
        responsibilities=(
            "Develops studies and research on victims' rights protection and "
            "the human trafficking and migration phenomenon."
        ),
        staff=((StaffRole.RESEARCHER, 3),),
    ),
    DemoDepartment(
        slug="financial",
        name="Financial Department",
        responsibilities="Ensures the financial management of the organisation.",
        staff=((StaffRole.FINANCIAL_MANAGER, 2),),
    ),
)

REPORT_2019 = {
    "foreword": (
        "The report provides an overview of the activities and achievements "
        "of Pro Refugiu Association in 2019. In line with its mission and "
        "objectives, the organisation provided assistance to victims of "
        "crime, asylum seekers and refugees, continued to strive in ensuring "
        "a better protection of the human rights.\n\n"
        "Pro Refugiu Association continued throughout 2019 to organise "
        "multiple national and international events, bringing together key "
        "partners and stakeholders to discuss fundamental rights issues in "
        "several major areas. The organisation operated within the following "
        "thematic work areas: access to justice for victims of crimes, "
        "immigration and integration of migrants.\n\n"
        "Pro Refugiu Association presented findings on human trafficking and "
        "on migration incorporated into accessible and user-friendly studies, "
        "reports, handbooks, research papers. It consistently provided "
        "information on fundamental rights challenges and promoted "
        "fundamental rights safeguards and recommendations throughout the "
        "year.\n\n"
        "Pro Refugiu Association would like to thank the partners, the "
        "collaborators, the private and public donors, the grants providers "
        "who have supported in 2019 our efforts to successfully implement all "
        "the actions and projects"
    ),
    "about": (
        "Pro Refugiu Association is a non-governmental organisation based in "
        "Bucharest, Romania, set up in early 2011 from the initiative of a "
        "group of specialists in assisting victims of human trafficking, "
        "asylum seekers, and refugees.\n\n"
        "Since its beginning, the organisation followed a work philosophy "
        "based on protection and promotion of the rights for victims of human "
        "trafficking, asylum seekers, refugees, migrants according to the "
        "national and international standards, and also, to manage the "
        "problems that these persons face."
    ),
    "values": (
        "Respect for human rights.\n"
        "Holistic approach (bottom up) of the human trafficking, migration "
        "phenomenon and co-operation at national and international level.\n"
        "Tolerance.\n"
        "Equality.\n"
        "Trust."
    ),
    "objectives": (
        "Help to combat the human trafficking phenomenon, illegal migration.\n"
        "Identify the needs, problems of the victims of human trafficking, "
        "asylum seekers, refugees.\n"
        "Development of special programmes of legal, psychological, social "
        "assistance at the highest professional standards for the benefit of "
        "the target groups.\n"
        "Advocacy and lobby meant to improve the legislation and practice in "
        "the field of protection for the victims of human trafficking, "
        "migration, and asylum procedure."
    ),
    "projects_introduction": (
        "The organisation implemented in 2019 multiple projects for the "
        "benefit of the target groups, continued to collaborate with national "
        "and foreign stakeholders in areas related to the rights of victims "
        "of crime, asylum and refugees, organised trainings for specialists "
        "from legal, social and health areas, developed studies and research."
    ),
    "international_introduction": (
        "The representatives of the Pro Refugiu Association participated "
        "during 2019 in a series of transnational events organised by other "
        "key stakeholders in Brussels, Belgium."
    ),
    "partners_introduction": (
        "Being aware of the fact that international, regional cooperation is "
        "essential for exchange of information, good practices, Pro Refugiu "
        "Association continued also in 2019 to maintain a sustainable "
        "partnership with various organisations, institutions at national "
        "and international level. Some of the organisations, authorities are "
        "partners in the projects implemented by Pro Refugiu Association and "
        "with others the NGO had concluded several collaboration protocols "
        "having as main objective the exchange of information, best practices "
        "related to the assistance of asylum seekers, refugees and victims of "
        "crime."
    ),
}


def _participant_rows(event: DemoEvent) -> list[ParticipantCount]:
    eid = activity_id("event", event.slug)
    rows: list[ParticipantCount] = []

    def row(dimension: str, code: str, count: int | None) -> None:
        rows.append(
            ParticipantCount(
                id=activity_id("count", f"{event.slug}/{dimension}/{code}"),
                event_id=eid,
                dimension=dimension,
                code=code,
                count=count,
            )
        )

    if event.total is not None:
        row(ParticipantCount.Dimension.TOTAL, "", event.total)
    for profession in event.professions:
        row(ParticipantCount.Dimension.PROFESSION, profession.value, None)
    for country in event.countries:
        row(ParticipantCount.Dimension.COUNTRY, country, None)
    for institution in event.institutions:
        row(ParticipantCount.Dimension.INSTITUTION, institution, None)
    return rows


def _projects_load(tally: SaveTally) -> None:
    for spec in PROJECTS:
        project = activity_record_save(
            actor=ACTOR,
            tally=tally,
            instance=Project(
                id=activity_id("project", spec.slug),
                title=spec.title,
                acronym=spec.acronym,
                funding_programme=spec.funding,
                coordinator_id=org_id(spec.coordinator) if spec.coordinator else None,
                countries=list(spec.countries),
                start_date=spec.start,
                start_precision=spec.start_precision,
                end_date=spec.end,
                end_precision=spec.end_precision,
                website=spec.website,
                objectives=spec.objectives,
                outputs=spec.outputs,
            ),
        )
        members: list[tuple[str, PartnerRole]] = []
        if spec.coordinator:
            members.append((spec.coordinator, PartnerRole.COORDINATOR))
        if spec.member_role is not None:
            members.append((PRO_REFUGIU, spec.member_role))
        members += [(slug, PartnerRole.PARTNER) for slug in spec.partners]
        project_partners_set(
            actor=ACTOR,
            project=project,
            rows=[
                ProjectPartner(
                    id=activity_id("project-partner", f"{spec.slug}/{slug}"),
                    organization_id=org_id(slug),
                    role=role,
                )
                for slug, role in members
            ],
        )


def _events_load(tally: SaveTally) -> None:
    participants = Organization.objects.filter(
        pk__in={org_id(s) for e in EVENTS for s in e.participants_from}
    ).in_bulk()
    for spec in EVENTS:
        event = activity_record_save(
            actor=ACTOR,
            tally=tally,
            instance=Event(
                id=activity_id("event", spec.slug),
                type=spec.type,
                project_id=(
                    activity_id("project", spec.project) if spec.project else None
                ),
                title=spec.title,
                start_date=spec.start,
                end_date=spec.end,
                city=spec.city,
                country=spec.country,
                organiser_id=org_id(spec.organiser) if spec.organiser else None,
                topics=spec.topics,
                speakers=spec.speakers,
                description=spec.description,
                context=spec.context,
            ),
        )
        event_participants_set(actor=ACTOR, event=event, rows=_participant_rows(spec))
        event_participating_set(
            actor=ACTOR,
            event=event,
            organizations=[participants[org_id(s)] for s in spec.participants_from],
        )


def _publications_load(tally: SaveTally) -> None:
    for spec in PUBLICATIONS:
        activity_record_save(
            actor=ACTOR,
            tally=tally,
            instance=Publication(
                id=activity_id("publication", spec.slug),
                type=spec.type,
                title=spec.title,
                subtitle=spec.subtitle,
                published=spec.published,
                published_precision=spec.precision,
                languages=list(spec.languages),
                project_id=activity_id("project", spec.project),
                audience=spec.audience,
                summary=spec.summary,
            ),
        )
    activity_record_save(
        actor=ACTOR,
        tally=tally,
        instance=Campaign(
            id=activity_id("campaign", "net-combat-social-media"),
            title=(
                "Social media campaign to raise awareness on human trafficking "
                "and its consequences"
            ),
            project_id=activity_id("project", NET_COMBAT),
            channel="Facebook",
            countries=["RO", "BG", "GR", "DE", "IT"],
            messages=list(CAMPAIGN_MESSAGES),
            start_date=date(2019, 1, 1),
            start_precision=YEAR,
            # "until the end of the project", which ends in April 2020.
            end_date=date(2020, 4, 30),
            end_precision=MONTH,
            description=(
                "Run by the coordinator with the organisations of the project, "
                "for social media users in Romania, Bulgaria, Greece, Germany "
                "and Italy."
            ),
        ),
    )


def _organisation_load(tally: SaveTally) -> None:
    owner = org_id(PRO_REFUGIU)
    for kind, slugs in PARTNERS:
        for position, slug in enumerate(slugs):
            activity_record_save(
                actor=ACTOR,
                tally=tally,
                instance=Partnership(
                    id=activity_id("partnership", f"{kind.value}/{slug}"),
                    organization_id=owner,
                    partner_id=org_id(slug),
                    kind=kind,
                    position=position,
                ),
            )
    for position, spec in enumerate(DEPARTMENTS):
        department = activity_record_save(
            actor=ACTOR,
            tally=tally,
            instance=Department(
                id=activity_id("department", spec.slug),
                organization_id=owner,
                kind=spec.kind,
                name=spec.name,
                responsibilities=spec.responsibilities,
                position=position,
            ),
        )
        for staff_position, (role, count) in enumerate(spec.staff):
            activity_record_save(
                actor=ACTOR,
                tally=tally,
                instance=StaffCount(
                    id=activity_id("staff", f"{spec.slug}/{role.value}"),
                    department=department,
                    role=role,
                    count=count,
                    position=staff_position,
                ),
            )
    activity_record_save(
        actor=ACTOR,
        tally=tally,
        instance=AnnualReport(
            id=activity_id("annual-report", f"{PRO_REFUGIU}/2019"),
            organization_id=owner,
            year=2019,
            **REPORT_2019,
        ),
    )


@transaction.atomic
def activities_demo_load() -> SaveTally:
    """Create or bring up to date the demonstration activities.

    Needs the demo directory (``load_demo``): organisations are looked up by
    its stable ids.
    """
    if not Organization.objects.filter(pk=org_id(PRO_REFUGIU)).exists():
        raise LookupError("Load the demo directory first (manage.py load_demo).")
    tally = SaveTally()
    _projects_load(tally)
    _events_load(tally)
    _publications_load(tally)
    _organisation_load(tally)
    return tally
