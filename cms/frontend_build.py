"""Copy the GC Design System's browser files from node_modules into ``cms/static/cms/vendor/gcds`` so Django
serves them itself (no CDN): ``python -m cms.frontend_build``, run by ``make install``.

The package's stylesheet asks Google Fonts and the design system's CDN for its fonts; those rules are left
out here, so pages fall back to the system's sans-serif font and nothing is fetched from elsewhere (the
Content Security Policy would refuse it anyway). The copy is generated, not committed (.gitignore).
"""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

BASE = Path(__file__).resolve().parent.parent
SOURCE = BASE / "node_modules" / "@gcds-core" / "components" / "dist" / "gcds"
TARGET = BASE / "cms" / "static" / "cms" / "vendor" / "gcds"
REMOTE_IMPORT = re.compile(r"@import\s+url\(\s*[\"']?https?://[^;]*;\s*")
REMOTE_FONT_FACE = re.compile(r"@font-face\s*{[^}]*https?://[^}]*}\s*")


def local_stylesheet(css: str) -> str:
    """The stylesheet without the rules that fetch from another host."""
    css = REMOTE_IMPORT.sub("", css)
    return REMOTE_FONT_FACE.sub("", css)


def build(source: Path = SOURCE, target: Path = TARGET) -> Path:
    if not source.is_dir():
        raise SystemExit(f"{source} is missing: run `npm ci` first (make install does).")
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("*.map"))
    stylesheet = target / "gcds.css"
    stylesheet.write_text(local_stylesheet(stylesheet.read_text(encoding="utf-8")), encoding="utf-8")
    return target


if __name__ == "__main__":
    print(f"GC Design System copied to {build().relative_to(BASE)}")
    sys.exit(0)
