"""Correct wrong strings of Superset 6.1.0's Simplified Chinese catalog, in the installed package.

Run inside the Superset venv (the launcher does it at install and at every bootstrap; idempotent). Fixes both
the frontend language pack (messages.json, used by the React pages: the login button reads "Not In"
upstream) and the backend catalog (messages.po → messages.mo, used by server-side messages such as SQL Lab's
"DML not allowed" error, which upstream says "database not found").
"""

from __future__ import annotations

import gettext
import importlib.util
import io
import json
import os
import sys
from pathlib import Path

FIXES = {
    "Sign in": "登录",
    "Not in": "不在其中",
    "not containing": "不包含",
    "Enter your login and password below:": "请输入用户名和密码：",
    "There is currently no information to display.": "当前没有可显示的数据。",
    "This database does not allow for DDL/DML, but the query mutates data. Please contact your "
    "administrator for more assistance.": "此数据库只读，不允许执行 DDL/DML（建表、写入、删除等）语句。",
}


def _replace(path: Path, data: bytes) -> None:
    """Write as a new file: uv hard-links installed files to its cache, so never write into them in place."""
    tmp = path.with_name(path.name + ".planwatch-tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def main() -> int:
    spec = importlib.util.find_spec("superset")  # located, not imported (importing Superset is slow)
    folder = Path(spec.origin).resolve().parent / "translations" / "zh" / "LC_MESSAGES"
    pack = folder / "messages.json"
    data = json.loads(pack.read_text(encoding="utf-8"))
    messages = data["locale_data"]["superset"]
    json_changed = [k for k, v in FIXES.items() if messages.get(k) != [v]]
    for key in json_changed:
        messages[key] = [FIXES[key]]
    if json_changed:
        _replace(pack, json.dumps(data, ensure_ascii=False).encode("utf-8"))

    with (folder / "messages.mo").open("rb") as fh:
        compiled = gettext.GNUTranslations(fh)
    if not json_changed and all(compiled.gettext(k) == v for k, v in FIXES.items()):
        print("[planwatch superset]   zh catalog: already corrected")
        return 0

    from babel.messages import mofile, pofile

    with (folder / "messages.po").open("rb") as fh:
        catalog = pofile.read_po(fh, locale="zh")
    po_changed = []
    for key, text in FIXES.items():
        message = catalog.get(key)
        if message is not None and (message.string != text or message.fuzzy):
            message.string = text
            message.flags.discard("fuzzy")
            po_changed.append(key)
    if po_changed or not (folder / "messages.mo").exists():
        po, mo = io.BytesIO(), io.BytesIO()
        pofile.write_po(po, catalog, width=0)
        mofile.write_mo(mo, catalog)
        _replace(folder / "messages.po", po.getvalue())
        _replace(folder / "messages.mo", mo.getvalue())
    print(f"[planwatch superset]   zh catalog: {len(json_changed)} frontend and {len(po_changed)} backend "
          "strings corrected" if json_changed or po_changed else "[planwatch superset]   zh catalog: already corrected")
    return 0


if __name__ == "__main__":
    sys.exit(main())
