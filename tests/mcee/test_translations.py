"""The French catalogue is complete: no entry without French, none marked fuzzy, and it compiles
to what Django serves."""

import re
from pathlib import Path

from django.conf import settings
from django.utils import translation

PO = Path(settings.BASE_DIR) / "locale" / "fr" / "LC_MESSAGES" / "django.po"


def entries():
    """(flags, msgid, msgstr) for each entry of the .po file, the header excepted."""
    text = PO.read_text(encoding="utf-8")
    for block in text.split("\n\n"):
        lines = [ln for ln in block.splitlines() if ln and not ln.startswith("#~")]
        flags = " ".join(ln for ln in lines if ln.startswith("#,"))
        fields, current = {}, None
        for ln in lines:
            match = re.match(r'^(msgid|msgid_plural|msgstr(?:\[\d\])?|msgctxt) "(.*)"$', ln)
            if match:
                current = match.group(1)
                fields[current] = match.group(2)
            elif ln.startswith('"') and current:
                fields[current] += ln[1:-1]
        if fields.get("msgid"):
            strs = [v for k, v in fields.items() if k.startswith("msgstr")]
            yield flags, fields["msgid"], strs


def test_every_entry_has_french_and_none_is_fuzzy():
    found = list(entries())
    assert len(found) > 200
    untranslated = [msgid for _, msgid, strs in found if not strs or any(not s for s in strs)]
    fuzzy = [msgid for flags, msgid, _ in found if "fuzzy" in flags]
    assert untranslated == []
    assert fuzzy == []


def test_the_compiled_catalogue_is_the_one_served():
    with translation.override("fr"):
        assert translation.gettext("Sign in to the MCEE workspace") == "Se connecter à l’espace de travail de l’ECEM"
        assert translation.gettext("Import runs") == "Importations"


def test_the_committed_compiled_catalogue_matches_the_po_file():
    """make run and make test compile only where GNU gettext is installed; elsewhere the committed
    .mo is served, so it must say what the .po says."""
    import ast
    import gettext

    with open(PO.with_suffix(".mo"), "rb") as fh:
        compiled = gettext.GNUTranslations(fh)
    text = PO.read_text(encoding="utf-8")
    checked = 0
    for block in text.split("\n\n"):
        if "msgctxt" in block or "msgid_plural" in block or "#, fuzzy" in block:
            continue
        msgid = re.search(r'^msgid "(.*)"$', block, re.M)
        msgstr = re.search(r'^msgstr "(.*)"$', block, re.M)
        if not msgid or not msgstr or not msgid.group(1):
            continue
        source = ast.literal_eval('"' + msgid.group(1) + '"')
        assert compiled.gettext(source) == ast.literal_eval('"' + msgstr.group(1) + '"'), source
        checked += 1
    assert checked > 200
