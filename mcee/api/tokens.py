"""System accounts and API tokens: the writes (create, revoke) and the check made on every request.

A token reads ``mcee_<prefix>_<secret>``: ``prefix`` (8 characters, not secret) names it in lists and
logs; the whole token is 256 random bits after the prefix, and only its SHA-256 digest is stored.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import roles
from ..audit import audit_source, current_source
from ..models import ApiToken, SystemAccount

TOKEN_PREFIX = "mcee"
# Model permissions an administrator may add to a system account beyond its role group, by name. Today
# one: pushing CBSA's travel-document extracts, which department officers only read (docs/api.md).
EXTRA_PERMISSIONS = {
    "push_travel_documents": ("countries.add_traveldocumentcase", "countries.change_traveldocumentcase",
                              "countries.add_traveldocumentmonth", "countries.change_traveldocumentmonth"),
}
# Last use is written at most this often per token, not on every request.
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


def acting_groups():
    """The groups a system account may act as: each department's officers, each partner's reporters."""
    officer_names = [role.group_name for role in roles.STANDING_ROLES if role.code.startswith("officer_")]
    reporters = Group.objects.filter(name__endswith=roles.PARTNER_REPORTER_SUFFIX)
    return (Group.objects.filter(name__in=officer_names) | reporters).order_by("name")


def token_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def _check_username(username: str) -> None:
    user_model = get_user_model()
    field = user_model._meta.get_field(user_model.USERNAME_FIELD)
    try:
        field.run_validators(username)
    except ValidationError as exc:
        raise ValidationError({"username": exc.messages})
    if not username:
        raise ValidationError({"username": _("Give the account a name, such as cbsa-nightly-exchange.")})
    if user_model._default_manager.filter(**{f"{user_model.USERNAME_FIELD}__iexact": username}).exists():
        raise ValidationError({"username": _("“%(name)s” is already taken; choose another name.")
                               % {"name": username}})


@transaction.atomic
def system_account_create(*, username: str, group: Group, description: str = "", contact_email: str = "",
                          permissions: Sequence[str] = (), user=None) -> SystemAccount:
    """A user that cannot sign in with a password, in exactly one role group (a department's
    officers or a partner's reporters), and its system account. ``permissions`` names extra rights
    of ``EXTRA_PERMISSIONS`` (``push_travel_documents``)."""
    username = (username or "").strip()
    _check_username(username)
    unknown = [name for name in permissions if name not in EXTRA_PERMISSIONS]
    if unknown:
        raise ValidationError({"permissions": _("Unknown: %(names)s; the extra rights are %(known)s.")
                               % {"names": ", ".join(unknown), "known": ", ".join(EXTRA_PERMISSIONS)}})
    if not acting_groups().filter(pk=group.pk).exists():
        raise ValidationError({"group": _(
            "A system account acts for one department (its officers' group) or one implementing partner "
            "(its reporters' group); “%(group)s” is neither.") % {"group": group.name}})
    with audit_source(current_source(), actor=user):
        account_user = get_user_model()(username=username, is_active=True, is_staff=False, is_superuser=False)
        account_user.set_unusable_password()
        account_user.full_clean(exclude=["password"])
        account_user.save()
        account_user.groups.set([group])
        codenames = [name for extra in permissions for name in EXTRA_PERMISSIONS[extra]]
        account_user.user_permissions.set([
            Permission.objects.get(content_type__app_label=name.split(".")[0], codename=name.split(".")[1])
            for name in codenames])
        account = SystemAccount(user=account_user, group=group, description=description.strip(),
                                contact_email=(contact_email or "").strip(), created_by=user)
        account.full_clean()
        account.save()
    return account


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    secret: str  # the whole token, shown once and never stored


@transaction.atomic
def api_token_create(*, account: SystemAccount, name: str, expires_at: dt.datetime | None = None,
                     user=None) -> NewToken:
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Say what the token is for, such as “nightly pull”.")})
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError({"expires_at": _("The expiry must be in the future.")})
    if not account.user.is_active:
        raise ValidationError(_("The system account %(name)s is disabled; enable it before giving it a token.")
                              % {"name": account})
    prefix = secrets.token_hex(4)
    while ApiToken.objects.filter(prefix=prefix).exists():  # 4 billion prefixes: practically never
        prefix = secrets.token_hex(4)
    secret = f"{TOKEN_PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"
    with audit_source(current_source(), actor=user):
        token = ApiToken(account=account, name=name, prefix=prefix, digest=token_digest(secret),
                         expires_at=expires_at, created_by=user)
        token.full_clean()
        token.save()
    return NewToken(token, secret)


@transaction.atomic
def api_token_revoke(*, token: ApiToken, user=None) -> ApiToken:
    """Revoke at once; revoking a revoked token changes nothing."""
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        with audit_source(current_source(), actor=user):
            token.revoked_at = timezone.now()
            token.revoked_by = user
            token.save(update_fields=["revoked_at", "revoked_by"])
    return token


def extra_permissions_of(account: SystemAccount) -> list[str]:
    """The names of ``EXTRA_PERMISSIONS`` the account holds in full."""
    held = {f"{perm.content_type.app_label}.{perm.codename}"  # prefetched by listings
            for perm in account.user.user_permissions.all()}
    return [name for name, needed in EXTRA_PERMISSIONS.items() if set(needed) <= held]


class TokenRefused(Exception):
    """The token cannot be used; ``str()`` says why, in the caller's language."""


def token_check(raw: str, *, now: dt.datetime | None = None) -> ApiToken:
    """The token this secret belongs to, if it may be used now; otherwise ``TokenRefused``."""
    now = now or timezone.now()
    token = (ApiToken.objects.select_related("account__user").filter(digest=token_digest(raw.strip())).first()
             if raw and raw.startswith(f"{TOKEN_PREFIX}_") else None)
    if token is None:
        raise TokenRefused(_("This token is not valid. Check that it was copied whole, or ask an MCET "
                             "administrator for a new one."))
    if token.revoked_at is not None:
        raise TokenRefused(_("This token (%(prefix)s) was revoked on %(date)s; ask an MCET administrator for a "
                             "new one.") % {"prefix": token.prefix, "date": token.revoked_at.date().isoformat()})
    if token.expires_at is not None and token.expires_at <= now:
        raise TokenRefused(_("This token (%(prefix)s) expired on %(date)s; ask an MCET administrator for a "
                             "new one.") % {"prefix": token.prefix, "date": token.expires_at.date().isoformat()})
    if not token.account.user.is_active:
        raise TokenRefused(_("The system account of this token (%(prefix)s) is disabled.")
                           % {"prefix": token.prefix})
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)  # not a change worth an audit entry
        token.last_used_at = now
    return token
