"""The kinds of file the admin can import: a registry that the apps fill, as ``mcee.reports`` is.

Each app registers its imports in its ``apps.py`` (``ready``); nothing in ``mcee`` knows which
imports exist. A kind's ``slug`` is the ``ImportRun.kind`` its import records, the same whether the
file came through the command or the admin, so a file already imported is recognised either way.
The import function is named by its dotted path and loaded only when a file is imported: the web
process never loads pandas for a page that imports nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from . import access


@dataclass(frozen=True)
class ImportKind:
    slug: str  # = the ImportRun kind the import records
    title: Any  # a lazy translated string
    function: str  # dotted path: f(*, path, user, encoding[, progress]) -> result
    extensions: tuple[str, ...] = (".csv", ".xlsx")  # what the admin accepts (lower case, with the dot)
    # The command also takes a folder of CSV files (one per sheet); an upload is one file, so from the
    # admin such an import takes only its workbook (XLSX).
    accepts_folder: bool = False
    # The function takes progress=callable(rows_read, rows_checked, rows_written) and calls it while it runs.
    reports_progress: bool = False
    # Keep the uploaded file after the run, for the audit (docs/operations.md). False for a file that
    # holds what the system promises never to store (travel-document case references): it is deleted
    # once imported or refused, and the run keeps its name and checksum.
    keep_file: bool = True
    # Models (labels) the import adds and changes, and those it deletes from. Who may run it: whoever
    # may do that to every object of those models (a role that sees only some of them may not).
    writes: tuple[str, ...] = ()
    deletes: tuple[str, ...] = ()
    # Instead of the rule above: a function of the user returning an ``access.Decision``.
    permission: Callable[[Any], access.Decision] | None = field(default=None, compare=False)

    def may_run(self, user) -> access.Decision:
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return access.Decision(False, _("Sign in to continue."), visible=False)
        if self.permission is not None:
            return self.permission(user)
        needed = [(label, action) for label in self.writes for action in (access.ADD, access.CHANGE)]
        needed += [(label, access.DELETE) for label in self.deletes]
        for label, action in needed:
            model = apps.get_model(label)
            if not access.can(user, action, model) or (not user.is_superuser and access.is_scoped(user, model)):
                return access.Decision(False, _("Your role may not import this kind of file (%(kind)s).")
                                       % {"kind": self.title})
        return access.ALLOWED

    def load(self) -> Callable:
        return import_string(self.function)

    def run(self, *, path, user=None, encoding: str | None = None, progress=None):
        """Call the import; ``progress`` is passed only to an import that reports it."""
        kwargs = {"path": path, "user": user, "encoding": encoding}
        if self.reports_progress and progress is not None:
            kwargs["progress"] = progress
        return self.load()(**kwargs)


_REGISTRY: dict[str, ImportKind] = {}


def register(kind: ImportKind) -> ImportKind:
    if kind.slug in _REGISTRY and _REGISTRY[kind.slug] != kind:
        raise ValueError(f"Two import kinds are named {kind.slug!r}.")
    if any(not ext.startswith(".") or ext != ext.lower() for ext in kind.extensions):
        raise ValueError(f"Extensions of {kind.slug!r} must be lower case with their dot: {kind.extensions}.")
    _REGISTRY[kind.slug] = kind
    return kind


def registered_kinds() -> dict[str, ImportKind]:
    return dict(_REGISTRY)


def get_kind(slug: str) -> ImportKind:
    try:
        return _REGISTRY[slug]
    except KeyError:
        raise KeyError(f"No import kind named {slug!r}. Known kinds: {', '.join(sorted(_REGISTRY))}.") from None


def kinds_for(user) -> list[ImportKind]:
    """The kinds this user may import, in the order they were registered."""
    return [kind for kind in _REGISTRY.values() if kind.may_run(user)]
