"""Recreate bench/real_bulletins/texts/ (the git-ignored third-party texts) from the public pages.

Each used document of manifest.csv was saved as the leading part of its page's text, exactly as the search tool
returned it. checksums.csv (committed) holds, per document, that part's length in characters and its SHA-256, so
the texts can be checked and found again without keeping any of their sentences in git.

For every used document with a url this script:
  1. fetches the page (standard library only; no network here means every fetch fails and is reported);
  2. turns the HTML into text lines (scripts and styles dropped, one line per block, cells joined with " | ");
  3. looks for a window of the recorded length starting at a line start whose SHA-256 is the recorded one: a hit is
     the exact text ("exact"); otherwise it keeps the recorded number of characters from the first line that holds
     a year and a bulletin word ("approximate": the page changed or the extraction differs, check it by hand);
  4. writes texts/<doc_id>.txt only if that file is missing, or with --force; an existing text is never touched
     otherwise, and a failed fetch leaves it as it is.

Usage:
  python bench/real_bulletins/recreate.py            # fetch and fill in missing texts
  python bench/real_bulletins/recreate.py --check    # no network: verify the texts present against checksums.csv
  python bench/real_bulletins/recreate.py --write-checksums   # after saving new texts by hand
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import re
import sys
import urllib.error
import urllib.request
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

HERE = Path(__file__).resolve().parent
MANIFEST = HERE / "manifest.csv"
CHECKSUMS = HERE / "checksums.csv"
TEXTS = HERE / "texts"
TIMEOUT_S = 20
USER_AGENT = "Mozilla/5.0 (planwatch bench corpus recreation)"
BLOCK_TAGS = frozenset(
    {"p", "div", "br", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table", "section", "article", "title"}
)
CELL_TAGS = frozenset({"td", "th"})
SKIP_TAGS = frozenset({"script", "style", "noscript", "head"})
START_HINT = re.compile(r"(19|20)\d\d\s*年.*(统计公报|統計公報|综合|綜合|生产总值|生產總值|地區|地区)")


@dataclass(frozen=True)
class Doc:
    doc_id: str
    url: str


@dataclass(frozen=True)
class Checksum:
    chars: int
    sha256: str


class _TextExtractor(HTMLParser):
    """Visible text of an HTML page, one line per block element."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in SKIP_TAGS:
            self._skip += 1
        elif tag in BLOCK_TAGS:
            self.parts.append("\n")
        elif tag in CELL_TAGS:
            self.parts.append(" | ")

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIP_TAGS and self._skip:
            self._skip -= 1
        elif tag in BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def sha256_of(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def html_to_text(html: str) -> str:
    parser = _TextExtractor()
    parser.feed(html)
    lines = (re.sub(r"[ \t\u3000]+", " ", line).strip() for line in "".join(parser.parts).splitlines())
    return "\n".join(line for line in lines if line)


def decode(body: bytes, declared: str | None) -> str:
    candidates = [declared] if declared else []
    meta = re.search(rb"charset=[\"']?([A-Za-z0-9_-]+)", body[:4096])
    if meta:
        candidates.append(meta.group(1).decode("ascii", "replace"))
    candidates += ["utf-8", "gb18030", "big5"]
    for enc in candidates:
        try:
            return body.decode(enc)
        except (LookupError, UnicodeDecodeError):
            continue
    return body.decode("utf-8", errors="replace")


def fetch(url: str) -> str:
    req = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    with urllib.request.urlopen(req, timeout=TIMEOUT_S) as resp:
        return decode(resp.read(), resp.headers.get_content_charset())


def leading_part(page_text: str, want: Checksum) -> tuple[str, str]:
    """The window of `want.chars` characters that matches the checksum, else the best guess; and which it is."""
    starts = [0] + [m.end() for m in re.finditer("\n", page_text)]
    for start in starts:
        window = page_text[start : start + want.chars]
        if len(window) == want.chars and sha256_of(window) == want.sha256:
            return window, "exact"
    for start in starts:
        line = page_text[start : page_text.find("\n", start) if "\n" in page_text[start:] else None]
        if START_HINT.search(line):
            return page_text[start : start + want.chars], "approximate"
    return page_text[: want.chars], "approximate"


def load_docs(path: Path = MANIFEST) -> list[Doc]:
    with path.open(encoding="utf-8", newline="") as fh:
        return [Doc(r["doc_id"], r["url"].strip()) for r in csv.DictReader(fh) if r["used"].strip() == "yes"]


def load_checksums(path: Path = CHECKSUMS) -> dict[str, Checksum]:
    if not path.exists():
        return {}
    with path.open(encoding="utf-8", newline="") as fh:
        return {r["doc_id"]: Checksum(int(r["chars"]), r["sha256"]) for r in csv.DictReader(fh)}


def text_path(doc_id: str) -> Path:
    return TEXTS / f"{doc_id}.txt"


def read_text(doc_id: str) -> str | None:
    path = text_path(doc_id)
    return path.read_text(encoding="utf-8") if path.exists() else None


def check(docs: list[Doc], sums: dict[str, Checksum]) -> int:
    bad = 0
    for doc in docs:
        text, want = read_text(doc.doc_id), sums.get(doc.doc_id)
        if text is None:
            status = "MISSING"
        elif want is None:
            status = "no checksum recorded"
        elif len(text) == want.chars and sha256_of(text) == want.sha256:
            status = "ok"
        else:
            status = f"DIFFERS (have {len(text)} chars, recorded {want.chars})"
        bad += status != "ok"
        print(f"{doc.doc_id}  {status}")
    print(f"{len(docs) - bad}/{len(docs)} texts match checksums.csv")
    return 1 if bad else 0


def write_checksums(docs: list[Doc]) -> int:
    rows = []
    for doc in docs:
        text = read_text(doc.doc_id)
        if text is None:
            print(f"{doc.doc_id}  MISSING: no checksum written", file=sys.stderr)
            continue
        rows.append((doc.doc_id, len(text), sha256_of(text)))
    with CHECKSUMS.open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh, lineterminator="\n")
        out.writerow(["doc_id", "chars", "sha256"])
        out.writerows(rows)
    print(f"wrote {len(rows)} checksums to {CHECKSUMS.relative_to(HERE.parent.parent)}")
    return 0


def recreate(docs: list[Doc], sums: dict[str, Checksum], force: bool) -> int:
    TEXTS.mkdir(exist_ok=True)
    counts = {"written": 0, "kept": 0, "failed": 0}
    for i, doc in enumerate(docs, 1):
        prefix = f"[{i}/{len(docs)}] {doc.doc_id}"
        exists = text_path(doc.doc_id).exists()
        want = sums.get(doc.doc_id)
        if not doc.url or want is None:
            print(f"{prefix}  skipped: no url or no checksum recorded")
            counts["failed"] += 1
            continue
        try:
            page = html_to_text(fetch(doc.url))
        except (urllib.error.URLError, OSError, ValueError) as exc:
            reason = getattr(exc, "reason", exc)
            kept = "existing text left alone" if exists else "no text"
            print(f"{prefix}  cannot fetch {doc.url}: {reason}; {kept}")
            counts["failed"] += 1
            continue
        text, how = leading_part(page, want)
        if exists and not force:
            print(f"{prefix}  fetched ({how}); existing text left alone (use --force to replace)")
            counts["kept"] += 1
            continue
        text_path(doc.doc_id).write_text(text, encoding="utf-8")
        print(f"{prefix}  written ({how}, {len(text)} chars)")
        counts["written"] += 1
    print(f"done: {counts['written']} written, {counts['kept']} kept, {counts['failed']} not fetched")
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--check", action="store_true", help="verify the texts present against checksums.csv; no network")
    ap.add_argument("--write-checksums", action="store_true", help="record length and SHA-256 of the texts present")
    ap.add_argument("--force", action="store_true", help="overwrite existing texts with the fetched ones")
    args = ap.parse_args(argv)
    docs = load_docs()
    print(f"{len(docs)} used documents in {MANIFEST.name}")
    if args.write_checksums:
        return write_checksums(docs)
    sums = load_checksums()
    if args.check:
        return check(docs, sums)
    return recreate(docs, sums, args.force)


if __name__ == "__main__":
    raise SystemExit(main())
