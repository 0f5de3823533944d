"""The emails of referrals, sent by the task worker.

Arguments are ids only: the task table is not encrypted. The emails carry no
personal data, only that a referral waits and the link to it; the page behind
the link asks for the sign-in and second factor.
"""

from __future__ import annotations

from functools import partial

from django.conf import settings
from django.core.mail import EmailMessage
from django.tasks import TaskContext, task
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from waypoint.accounts.models import User
from waypoint.accounts.services import email_send_once
from waypoint.lib.urls import absolute_url


def _language_of(code: str) -> str:
    supported = {language for language, _name in settings.LANGUAGES}
    return code if code in supported else settings.LANGUAGE_CODE


def _notice(address: str, language: str, referral_id: int | None) -> EmailMessage:
    # In the language the person reads Waypoint in, link included: a
    # referral from another country reaches them in their own language.
    with translation.override(_language_of(language)):
        path = (
            reverse("referrals:detail", kwargs={"pk": referral_id})
            if referral_id is not None
            else reverse("referrals:inbox")
        )
        subject = _("Waypoint: a referral for you")
        body = _("A referral for you: %(link)s") % {"link": absolute_url(path)}
    return EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [address])


@task(takes_context=True)
def referral_notify_mail(
    context: TaskContext[..., int], user_ids: list[int], referral_id: int | None
) -> int:
    """One message per active user with an address, linking to the referral
    (or to the inbox when several referrals changed at once). Each goes once
    per task, whatever the number of runs (``email_send_once``)."""
    recipients = (
        User.objects.filter(pk__in=user_ids, is_active=True)
        .exclude(email="")
        .order_by("pk")
        .values_list("pk", "email", "language")
    )
    return sum(
        email_send_once(
            actor="task:referral_notify_mail",
            key=f"{context.task_result.id}:user:{pk}",
            compose=partial(_notice, address, language, referral_id),
        )
        for pk, address, language in recipients
    )
