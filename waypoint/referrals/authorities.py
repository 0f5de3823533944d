"""Authorities of the recipient's country that a cross-border case may need,
suggested from the public directory.

The directory tags organisations with authority roles (taxonomy
``waypoint-authority-role``): the national referral mechanism coordinator and
the assisting and deciding authorities for compensation under Directive
2004/80/EC. Both sides of a referral see those of the recipient's country;
this reads the public directory only, nothing of the case.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import get_language

from waypoint.directory.models import Attribute, Organization, TaxonomyTerm
from waypoint.directory.taxonomies import AUTHORITY_ROLE, term_id
from waypoint.lib.countries import country_name
from waypoint.referrals.models import Referral

# In the order a caseworker needs them: identification first, then the claim.
ROLES = ("nrm-coordinator", "compensation-assisting", "compensation-deciding")


@dataclass(frozen=True)
class SuggestedAuthority:
    name: str
    url: str


@dataclass(frozen=True)
class AuthorityGroup:
    role: str
    label: str
    authorities: list[SuggestedAuthority]


@dataclass(frozen=True)
class AuthoritySuggestions:
    country: str
    country_label: str
    groups: list[AuthorityGroup]

    @property
    def found(self) -> bool:
        return any(group.authorities for group in self.groups)


def _recipient_country(referral: Referral) -> str:
    listing = (
        referral.recipient.organization
        if referral.recipient is not None
        else referral.external_recipient
    )
    return listing.country if listing is not None else ""


def authorities_suggested(*, referral: Referral) -> AuthoritySuggestions:
    """Per role, the directory's organisations of the recipient's country that
    hold it, named in the reader's language (two queries)."""
    country = _recipient_country(referral)
    language = get_language()
    ids = {term_id(AUTHORITY_ROLE, role): role for role in ROLES}
    terms = {term.pk: term for term in TaxonomyTerm.objects.filter(pk__in=list(ids))}
    holders: dict[str, list[SuggestedAuthority]] = {role: [] for role in ROLES}
    if country:
        tagged = Attribute.objects.filter(
            link_entity="organization", taxonomy_term_id__in=list(ids)
        ).values_list("link_id", "taxonomy_term_id")
        roles_of: dict[str, set[str]] = {}
        for link_id, term in tagged:
            roles_of.setdefault(str(link_id), set()).add(ids[term])
        organizations = Organization.objects.filter(
            pk__in=list(roles_of), country=country
        ).order_by("name", "pk")
        for organization in organizations:
            suggestion = SuggestedAuthority(
                name=organization.translated("name", language),
                url=organization.get_absolute_url(),
            )
            for role in ROLES:
                if role in roles_of[str(organization.pk)]:
                    holders[role].append(suggestion)
    groups = [
        AuthorityGroup(
            role=role,
            label=terms[pk].translated("name", language) if pk in terms else role,
            authorities=holders[role],
        )
        for pk, role in ids.items()
    ]
    return AuthoritySuggestions(
        country=country,
        country_label=country_name(country) if country else "",
        groups=groups,
    )
