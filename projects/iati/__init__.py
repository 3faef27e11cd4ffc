"""The IATI export (issue 9): the projects the setting ``MCEE_IATI`` opts in, as IATI 2.03 activities.

- ``config``: the setting, read and checked (what may be published).
- ``selectors``: what is published, gathered as plain data in a fixed number of queries.
- ``checks``: what the schema cannot see (percentages, budget periods, indicator values...).
- ``writer``: the XML (lxml), and the schema kept in ``schema/`` to validate it.

``iati_export`` runs them in that order and gives the XML only when no problem remains;
``write_iati_file`` writes it atomically (a temporary file renamed into place), or nothing at all.
See ``docs/iati.md``.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .checks import Problem, iati_problems
from .config import IatiConfig, iati_config
from .selectors import Publication, iati_publication
from .writer import iati_xml, schema_errors


@dataclass(frozen=True)
class IatiExport:
    publication: Publication
    problems: tuple[Problem, ...]
    xml: bytes | None  # None while any problem remains

    @property
    def ok(self) -> bool:
        return not self.problems


class IatiCheckFailed(Exception):
    """The publication has problems: nothing was written."""

    def __init__(self, problems):
        self.problems = tuple(problems)
        count = len(self.problems)
        super().__init__(ngettext("The IATI file was not written: %(count)s problem to correct first.",
                                  "The IATI file was not written: %(count)s problems to correct first.", count)
                         % {"count": count})


def iati_export(*, config: IatiConfig | None = None, user=None, today=None, now=None) -> IatiExport:
    """Gather, check and write the publication; the XML is validated against the IATI 2.03 schema too."""
    publication = iati_publication(config=config, user=user, today=today, now=now)
    problems = iati_problems(publication)
    if problems:
        return IatiExport(publication, tuple(problems), None)
    xml = iati_xml(publication)
    invalid = schema_errors(xml)
    if invalid:
        return IatiExport(publication, tuple(
            Problem("", _("IATI 2.03 schema"), message) for message in invalid), None)
    return IatiExport(publication, (), xml)


def write_iati_file(path, **kwargs) -> IatiExport:
    """Write the file at ``path`` in one step (a temporary file beside it, renamed over it), or raise
    :class:`IatiCheckFailed` having written nothing: an existing file at ``path`` is left as it was."""
    export = iati_export(**kwargs)
    if not export.ok:
        raise IatiCheckFailed(export.problems)
    target = Path(path)
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent or ".")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(export.xml)
            out.flush()
            os.fsync(out.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)  # as an ordinary new file would be (mkstemp makes it private)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return export


__all__ = ["IatiCheckFailed", "IatiConfig", "IatiExport", "Problem", "iati_config", "iati_export",
           "write_iati_file"]
