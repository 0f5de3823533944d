"""The README and docs/ hold together: every relative link leads somewhere.

A link is checked when it is relative (no URL scheme such as ``https:`` or
``mailto:``, not ``//host``): its file must exist, relative to the file that
links, and its ``#anchor``, when the target is Markdown, must be the GitHub
slug of one of the target's headings (duplicates numbered ``-1``, ``-2``).
Links inside fenced code blocks and inline code are not links. No database.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

ROOT = Path(__file__).resolve().parents[3]
README_MAX_LINES = 200

_FENCE = re.compile(r"^ {0,3}(?P<fence>`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(`+)(?!`)((?:(?!\n[ \t]*\n).)+?)(?<!`)\1(?!`)", re.DOTALL)
_ATX_HEADING = re.compile(r"^ {0,3}#{1,6}(?:[ \t]+(?P<text>.*?))?(?:[ \t]+#+)?[ \t]*$")
_SETEXT_UNDERLINE = re.compile(r"^ {0,3}(?:=+|-+)[ \t]*$")
_LIST_ITEM = re.compile(r"^ {0,3}(?:[-+*]|\d{1,9}[.)])(?:[ \t]|$)")
_HTML_ANCHOR = re.compile(r"<[A-Za-z][^>]*?\s(?:id|name)=[\"']([^\"']+)[\"']")
_LINK_TEXT = r"\[(?P<text>(?:[^\[\]\\]|\\.|\[[^\[\]]*\])*)\]"
_INLINE_LINK = re.compile(
    _LINK_TEXT
    + r"\(\s*(?P<target><[^<>\n]*>|[^\s()<>]*(?:\([^\s()]*\)[^\s()<>]*)*)"
    + r"(?:\s+(?:\"[^\"]*\"|'[^']*'|\([^()]*\)))?\s*\)"
)
_FULL_REFERENCE = re.compile(_LINK_TEXT + r"\[(?P<label>[^\[\]]+)\]")
_REFERENCE_DEFINITION = re.compile(
    r"^ {0,3}\[(?P<label>[^\]^][^\]]*)\]:[ \t]*(?P<target><[^<>\n]*>|\S+)",
    re.MULTILINE,
)
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_INLINE_MARKUP = (
    (re.compile(r"!?\[([^\]]*)\]\([^)]*\)"), r"\1"),  # links and images: their text
    (re.compile(r"<[^>]+>"), ""),  # HTML tags
)


@dataclass(frozen=True)
class Link:
    """A link as written in a Markdown file."""

    source: Path
    line: int
    target: str


@dataclass(frozen=True)
class Problem:
    """A link that leads nowhere, and why."""

    link: Link
    reason: str

    def __str__(self) -> str:
        try:
            where = self.link.source.relative_to(ROOT)
        except ValueError:
            where = self.link.source
        return f"{where}:{self.link.line}: ({self.link.target}) {self.reason}"


def _outside_fences(text: str) -> list[str]:
    """The lines of ``text``, those of fenced code blocks (fences too) emptied."""
    kept: list[str] = []
    fence = ""
    for line in text.splitlines():
        opening = _FENCE.match(line)
        if fence:
            stripped = line.strip()
            if stripped.startswith(fence) and stripped.strip(fence[0]) == "":
                fence = ""
            kept.append("")
        elif opening:
            fence = opening["fence"]
            kept.append("")
        else:
            kept.append(line)
    return kept


def _prose(text: str) -> str:
    """``text`` with fenced code and inline code blanked, line numbers kept."""
    joined = "\n".join(_outside_fences(text))
    return _CODE_SPAN.sub(lambda m: re.sub(r"[^\n]", " ", m[0]), joined)


def github_slug(heading: str) -> str:
    """The anchor GitHub gives a heading, before duplicates are numbered.

    Lower case; markup reduced to its text; every character that is not a
    letter, digit, mark, ``-``, ``_`` or a space dropped; spaces become ``-``.
    """
    text = heading
    for pattern, replacement in _INLINE_MARKUP:
        text = pattern.sub(replacement, text)
    kept = (
        ch
        for ch in text.strip().lower()
        if ch in " -_" or unicodedata.category(ch)[0] in "LNM"
    )
    return "".join(kept).replace(" ", "-")


def headings(text: str) -> Iterator[str]:
    """The text of every heading (ATX and setext) outside fenced code."""
    lines = _outside_fences(text)
    for number, line in enumerate(lines):
        atx = _ATX_HEADING.match(line)
        if atx:
            yield atx["text"] or ""
            continue
        previous = lines[number - 1] if number else ""
        if (
            _SETEXT_UNDERLINE.match(line)
            and previous.strip()
            and not _ATX_HEADING.match(previous)
            and not _LIST_ITEM.match(previous)
            and not previous.startswith(("    ", "\t", ">"))
        ):
            yield previous.strip()


def anchors(text: str) -> set[str]:
    """Every anchor a Markdown file offers: its headings' slugs, numbered as
    GitHub numbers duplicates (``figures``, ``figures-1``, ``figures-2``), and
    the ``id``/``name`` of its HTML elements."""
    occurrences: dict[str, int] = {}
    for heading in headings(text):
        base = slug = github_slug(heading)
        while slug in occurrences:
            occurrences[base] += 1
            slug = f"{base}-{occurrences[base]}"
        occurrences[slug] = 0
    return set(occurrences) | set(_HTML_ANCHOR.findall(_prose(text)))


def _line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def links(source: Path, text: str) -> Iterator[Link]:
    """Every inline link and every reference definition of ``text``."""
    prose = _prose(text)
    found = [
        (m.start(), m["target"])
        for pattern in (_INLINE_LINK, _REFERENCE_DEFINITION)
        for m in pattern.finditer(prose)
    ]
    for offset, target in sorted(found):
        yield Link(source, _line_of(prose, offset), target.strip("<>"))


def _undefined_references(source: Path, text: str) -> Iterator[Problem]:
    """``[text][label]`` whose label has no definition (GitHub shows it as text)."""
    prose = _prose(text)
    defined = {
        " ".join(m["label"].lower().split())
        for m in _REFERENCE_DEFINITION.finditer(prose)
    }
    for m in _FULL_REFERENCE.finditer(prose):
        if " ".join(m["label"].lower().split()) not in defined:
            link = Link(source, _line_of(prose, m.start()), f"[{m['label']}]")
            yield Problem(link, "reference is not defined")


def is_relative(target: str) -> bool:
    """Whether the link points inside the repository (no scheme, no ``//``)."""
    return not (_SCHEME.match(target) or target.startswith("//"))


def link_problems(documents: Mapping[Path, str], root: Path = ROOT) -> list[Problem]:
    """What is wrong with the relative links of ``documents`` (path → text).

    A target among ``documents`` is read from there, any other from the disk,
    so that the check can be tried on Markdown held in memory.
    """
    problems: list[Problem] = []
    anchors_of: dict[Path, set[str]] = {}
    for source, text in documents.items():
        problems.extend(_undefined_references(source, text))
        for link in links(source, text):
            if not link.target or not is_relative(link.target):
                continue
            path_part, _, anchor = link.target.partition("#")
            path_part = unquote(path_part)
            if not path_part:
                target = source
            elif path_part.startswith("/"):
                target = Path(os.path.normpath(root / path_part.lstrip("/")))
            else:
                target = Path(os.path.normpath(source.parent / path_part))
            if not target.is_relative_to(root):
                problems.append(Problem(link, "leads outside the repository"))
                continue
            if target not in documents and not target.exists():
                problems.append(Problem(link, f"file not found: {target}"))
                continue
            if not anchor or target.suffix.lower() != ".md":
                continue
            if target not in anchors_of:
                if target in documents:
                    target_text = documents[target]
                else:
                    target_text = target.read_text(encoding="utf-8")
                anchors_of[target] = anchors(target_text)
            if unquote(anchor) not in anchors_of[target]:
                problems.append(Problem(link, f"no heading with anchor #{anchor}"))
    return problems


def line_count(text: str) -> int:
    """The number of lines as an editor shows them."""
    return len(text.splitlines())


def _documentation() -> dict[Path, str]:
    files = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
    return {path: path.read_text(encoding="utf-8") for path in files}


# The repository's own README and docs.


def test_the_readme_and_the_docs_are_found() -> None:
    """The check reads the repository's README and docs/, so it cannot pass by
    finding nothing: the docs index is there and the README links to it."""
    documents = _documentation()
    assert (ROOT / "manage.py").is_file()
    assert ROOT / "docs" / "README.md" in documents
    readme = ROOT / "README.md"
    assert "docs/README.md" in {
        link.target for link in links(readme, documents[readme])
    }


def test_every_relative_link_resolves() -> None:
    """Every relative link of README.md and docs/ names a file that exists,
    and every reference link has a definition."""
    problems = [
        str(problem)
        for problem in link_problems(_documentation())
        if not problem.reason.startswith("no heading")
    ]
    assert problems == []


def test_every_anchor_names_a_heading() -> None:
    """Every ``#anchor`` of a relative link to Markdown is the GitHub slug of a
    heading of the file it points to."""
    problems = [
        str(problem)
        for problem in link_problems(_documentation())
        if problem.reason.startswith("no heading")
    ]
    assert problems == []


def test_the_readme_has_at_most_200_lines() -> None:
    """The README is a front door: at most 200 lines, the rest is in docs/."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert line_count(readme) <= README_MAX_LINES


# The same checks on broken examples held in memory, to show that they fail.

_HERE = ROOT / "docs" / "example.md"
_OTHER = ROOT / "docs" / "other.md"


def _problems_in(text: str, other: str = "# Other\n") -> list[str]:
    found = link_problems({_HERE: text, _OTHER: other})
    return [f"{p.link.line}: {p.link.target} {p.reason}" for p in found]


def test_a_link_to_a_missing_file_is_reported() -> None:
    """A relative link to a file that does not exist is a problem, with its
    line; a link to a file that exists on disk is not."""
    text = "# Example\n\nSee [the guide](missing-guide.md).\n\n[Up](../README.md)\n"
    problems = _problems_in(text)
    assert len(problems) == 1
    assert problems[0].startswith("3: missing-guide.md file not found")


def test_a_bad_anchor_is_reported() -> None:
    """An anchor that is no heading's slug is a problem, in another file as in
    the same one; the right slugs are not."""
    text = (
        "# Example\n\n## Data at rest, checked\n\n"
        "[ok](#data-at-rest-checked) [bad](#data-at-rest) "
        "[ok](other.md#other) [bad](other.md#another)\n"
    )
    assert _problems_in(text) == [
        "5: #data-at-rest no heading with anchor #data-at-rest",
        "5: other.md#another no heading with anchor #another",
    ]


def test_duplicate_headings_get_numbered_anchors() -> None:
    """The second and third "Figures" are ``figures-1`` and ``figures-2``; there
    is no ``figures-3``."""
    other = "# Figures\n\n## Figures\n\n### Figures\n"
    assert anchors(other) == {"figures", "figures-1", "figures-2"}
    text = "[a](other.md#figures-2) [b](other.md#figures-3)\n"
    assert _problems_in(text, other) == [
        "1: other.md#figures-3 no heading with anchor #figures-3"
    ]


def test_slugs_follow_github() -> None:
    """Lower case, punctuation and code marks dropped, spaces to ``-``, ``-``
    and ``_`` and non-ASCII letters kept."""
    assert github_slug("Open Referral HSDS 3") == "open-referral-hsds-3"
    assert github_slug("Data at rest, checked") == "data-at-rest-checked"
    assert github_slug("Partner API (`/api/partner/`)") == "partner-api-apipartner"
    assert github_slug("Who manages an event's participants") == (
        "who-manages-an-events-participants"
    )
    assert github_slug("How a text search is ranked (SQLite)") == (
        "how-a-text-search-is-ranked-sqlite"
    )
    assert github_slug("x_lang and the [API](hsds.md)") == "x_lang-and-the-api"
    assert github_slug("Brașov – Αθήνα") == "brașov--αθήνα"


def test_links_in_code_are_ignored() -> None:
    """A broken link inside a fenced block or inline code is not a link; the
    same link in prose is reported."""
    text = (
        "```md\n[x](gone.md)\n```\n\n~~~\n[x](gone.md)\n~~~\n\n"
        "`[x](gone.md)` and ``[x](gone.md)``\n\n[x](gone.md)\n"
    )
    problems = _problems_in(text)
    assert len(problems) == 1
    assert problems[0].startswith("11: gone.md file not found")


def test_only_relative_links_are_checked() -> None:
    """Links with a scheme or to ``//host`` lead outside and are not checked."""
    text = (
        "[a](https://example.org/gone.md) [b](http://example.org/#x) "
        "[c](mailto:someone@example.org) [d](//example.org/gone.md)\n"
    )
    assert _problems_in(text) == []
    assert is_relative("docs/x.md#y")
    assert not is_relative("https://example.org")


def test_reference_links_are_checked() -> None:
    """A reference definition's target is checked like an inline link, and a
    reference without a definition is reported."""
    text = (
        "[guide][g], [other][o], [lost][nowhere]\n\n[g]: gone.md\n[o]: other.md#other\n"
    )
    assert _problems_in(text) == [
        "1: [nowhere] reference is not defined",
        "3: gone.md file not found: " + str(ROOT / "docs" / "gone.md"),
    ]


def test_a_link_outside_the_repository_is_reported() -> None:
    """A relative link that climbs out of the repository leads nowhere on
    GitHub."""
    assert _problems_in("[x](../../../etc/passwd)\n") == [
        "1: ../../../etc/passwd leads outside the repository"
    ]


def test_a_long_readme_is_counted() -> None:
    """201 lines are more than the README may have; 200 are not."""
    assert line_count("line\n" * 201) > README_MAX_LINES
    assert line_count("line\n" * 200) == README_MAX_LINES
