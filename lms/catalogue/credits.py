"""Who made a foreign lesson and under which licence, read from its LICENSE, AUTHORS and CITATION files.

Credits are shown to everyone on the path page, so they are plain words: no
Markdown, badge, heading, front matter or HTML is ever copied from the files.
Lessons often live in a sub-folder of their repository (MkDocs' `docs/`), with
the licence one level up: the folder's parents are read too, up to the
repository root (the folder holding `.git`) and at most two levels up. Only
these credit files are read there, only regular files (never a link) and only
their first 64 KB, because nothing else outside the imported folder may be
published. No licence at all is a warning: the trainer must check she may share.
"""
import html
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

LICENCE_PREFIXES = ("license", "licence", "copying")
AUTHOR_PREFIXES = ("authors", "contributors")
CITATION_PREFIXES = ("citation",)
MAX_BYTES = 64 * 1024
LEVELS_UP = 2
SHOWN_AUTHORS = 8

# (pattern, name or function of the match) in the order tried; the first found names the licence.
CC_URL = re.compile(r"creativecommons\.org/licenses/((?:by|nc|sa|nd)(?:-(?:nc|sa|nd))*)/(\d\.\d)", re.I)
CC_WORDS = re.compile(r"\bCC[- ]?(BY(?:[- ](?:NC|SA|ND))*)[- ](\d\.\d)\b", re.I)
CC_LONG = re.compile(r"Creative Commons (Attribution(?:[- ](?:Non-?Commercial|Share-?Alike|No-?Deriv(?:ative)?s))*)"
                     r"(?: International)?(?: License| Licence)?,? (?:version |v)?(\d\.\d)", re.I)
LICENCES = [
    (re.compile(r"SPDX-License-Identifier:\s*([\w.+-]+)"), lambda m: m.group(1)),
    (CC_URL, lambda m: f"CC {m.group(1).upper()} {m.group(2)}"),
    (CC_WORDS, lambda m: f"CC {m.group(1).upper().replace(' ', '-')} {m.group(2)}"),
    (CC_LONG, lambda m: "CC " + "-".join(
        {"attribution": "BY", "noncommercial": "NC", "sharealike": "SA", "noderivs": "ND", "noderivatives": "ND"}
        .get(word.lower().replace("-", ""), word) for word in re.split(r"[- ](?=[A-Z])", m.group(1))) + f" {m.group(2)}"),
    (re.compile(r"creativecommons\.org/publicdomain/zero|\bCC0\b", re.I), "CC0 1.0"),
    (re.compile(r"\bMIT License\b|Permission is hereby granted, free of charge", re.I), "MIT"),
    (re.compile(r"Apache License,?\s+Version 2\.0", re.I), "Apache-2.0"),
    (re.compile(r"GNU Affero General Public License", re.I), "AGPL-3.0"),
    (re.compile(r"GNU Lesser General Public License", re.I), "LGPL"),
    (re.compile(r"GNU General Public License.{0,200}?version (\d)", re.I | re.S), lambda m: f"GPL-{m.group(1)}.0"),
    (re.compile(r"Mozilla Public License,?\s+(?:v\.?\s*|Version )?2\.0", re.I), "MPL-2.0"),
    (re.compile(r"Redistribution and use in source and binary forms.{0,2000}?Neither the name", re.I | re.S),
     "BSD-3-Clause"),
    (re.compile(r"Redistribution and use in source and binary forms", re.I), "BSD-2-Clause"),
    (re.compile(r"free and unencumbered software released into the public domain", re.I), "Unlicense"),
]
COPYRIGHT = re.compile(r"^ {0,3}Copyright\b\s*(?:\(c\)|©|&copy;)?\s*(\d{4}.{0,150})$", re.I | re.M)  # a notice, with its year
HEADER = re.compile(r"^(authors?|contributors?|maintainers?|editors?|credits|(the )?people\b.*|.*\b(written|made|"
                    r"maintained|created|contributed) by\b.*|.*\bcontributions? (from|by)\b.*|.*:)$", re.I)


@dataclass
class Found:
    licence: str = ""
    copyright: str = ""
    authors: list = field(default_factory=list)
    cite: str = ""


def plain_words(markdown, limit=300):
    """A line of Markdown as plain words: images and badges dropped, links kept as their words, no HTML."""
    text = re.sub(r"\[!\[[^\]]*\]\([^)]*\)\]\([^)]*\)", " ", markdown)  # [![badge](svg)](link)
    text = re.sub(r"!\[[^\]]*\](\([^)]*\)|\[[^\]]*\])", " ", text)  # images
    text = re.sub(r"\[([^\]]*)\](\([^)]*\)|\[[^\]]*\])", r"\1", text)  # links keep their words
    text = re.sub(r"<[^>]*>", " ", text)
    text = re.sub(r"^\s{0,3}(#{1,6}\s+|[-*+]\s+|\d+[.)]\s+|>\s*)", "", text)
    text = re.sub(r"(\*\*|__|[*_`~])(?=\S)|(?<=\S)(\*\*|__|[*_`~])", "", text)
    text = re.sub(r"\s+", " ", html.unescape(text)).strip(" -|")
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " …"


def licence_name(text):
    """Name the licence a text states ("CC BY 4.0", "MIT"...), else its first plain line, else ''."""
    for pattern, name in LICENCES:
        match = pattern.search(text)
        if match:
            return name(match) if callable(name) else name
    for line in meaningful_lines(text):
        if not re.fullmatch(r"licen[cs]es?|copying", line, re.I) and not COPYRIGHT.match(line):
            return line[:120]
    return ""


def meaningful_lines(text, headings=True):
    """Lines of plain words: no front matter, rule, badge, image or HTML left; headings too unless `headings`."""
    text = re.sub(r"\A---\n.*?\n(---|\.\.\.)\s*\n", "", text.replace("\r\n", "\n"), flags=re.S)
    for line in text.split("\n"):
        if re.match(r"^\s*([-=*_~`]{3,}|<!--|\[[^\]]+\]:\s)", line):
            continue  # a rule, a setext underline, a fence, a comment, a link definition
        if not headings and re.match(r"^\s{0,3}#", line):
            continue
        words = plain_words(line)
        if words and re.search(r"\w", words):
            yield words


def author_names(text):
    """Names from an AUTHORS file: one a line, the e-mails dropped; a header line ('... was written by:') skipped."""
    names = []
    for index, line in enumerate(meaningful_lines(text, headings=False)):
        name = re.sub(r"\s*(<[^>]*>|\([^)]*@[^)]*\)|https?://\S+)", "", line).strip(" ,;")
        if not name or (index == 0 and HEADER.match(name)) or HEADER.fullmatch(name):
            continue
        if len(name) > 60 or len(name.split()) > 6 or "@" in name:
            continue  # a sentence, not a name
        if name not in names:
            names.append(name)
    return names


def citation_cff(text):
    """(authors, licence) from a CITATION.cff file."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        return [], ""
    if not isinstance(data, dict):
        return [], ""
    names = []
    for person in data.get("authors") or []:
        if isinstance(person, dict):
            name = person.get("name") or " ".join(str(person.get(k) or "") for k in ("given-names", "family-names"))
            if str(name).strip():
                names.append(plain_words(str(name), 60))
    licence = data.get("license")
    licence = ", ".join(map(str, licence)) if isinstance(licence, list) else str(licence or "")
    return names, plain_words(licence, 120)


def cite_text(text):
    """The first paragraph of a plain CITATION file, without its 'Please cite as:' line."""
    paragraphs = [p for p in re.split(r"\n\s*\n", text.replace("\r\n", "\n"))
                  if p.strip() and not re.fullmatch(r"\s*(please )?cite (this lesson )?as:?\s*", p, re.I)]
    return plain_words(" ".join(paragraphs[0].split("\n")), 300) if paragraphs else ""


def folders_to_read(folder):
    """The imported folder, then its parents up to the repository root, at most LEVELS_UP above."""
    folder = Path(folder)
    yield folder, True
    for _ in range(LEVELS_UP):
        if (folder / ".git").exists() or folder.parent == folder:
            return
        folder = folder.parent
        yield folder, False


def credit_files(folder):
    """This folder's credit files and LICENSES/ folder, by kind; a folder that cannot be listed has none."""
    found = {"licence": [], "authors": [], "citation": []}
    try:
        children = sorted(folder.iterdir(), key=lambda p: p.name)
    except OSError:
        return found
    for child in children:
        name = child.name.lower()
        for kind, prefixes in (("licence", LICENCE_PREFIXES), ("authors", AUTHOR_PREFIXES),
                               ("citation", CITATION_PREFIXES)):
            if name.startswith(prefixes):
                found[kind].append(child)
    return found


def read_outside(path):
    """Read a credit file of a parent folder: a regular file only, never a link; its first 64 KB."""
    try:
        if path.is_symlink() or not path.is_file():
            return None
        with open(path, "rb") as file:
            return file.read(MAX_BYTES).decode("utf-8", "replace")
    except OSError:
        return None


def read_inside(reader, path):
    """Read a credit file of the imported folder through the reader: links outside are refused, said at file:1.

    An old licence saved in Latin-1 is still worth reading: a warning, not an error that stops the import.
    """
    if path.is_dir() and not path.is_symlink():
        return None
    data = reader.read_bytes(path)
    if data is None:
        return None
    try:
        return data[:MAX_BYTES].decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if exc.start < MAX_BYTES - 4:  # not a character cut at the 64 KB limit
            line = data[:exc.start].count(b"\n") + 1
            reader.problems.warning(reader.rel(path), line, "not UTF-8 text: read as Latin-1; save it as UTF-8")
            return data[:MAX_BYTES].decode("latin-1")
        return data[:MAX_BYTES].decode("utf-8", "replace")


def reuse_licences(folder):
    """The licences a REUSE-style LICENSES/ folder holds, named by their files (MIT.txt -> MIT)."""
    try:
        return [p.stem for p in sorted(folder.iterdir()) if p.is_file() and not p.is_symlink()][:4]
    except OSError:
        return []


def gather(reader):
    """Read every credit file of the lesson's folder and its parents; the nearest one wins."""
    found = Found()
    for folder, inside in folders_to_read(reader.folder):
        files = credit_files(folder)
        read = (lambda p: read_inside(reader, p)) if inside else read_outside
        for path in files["licence"]:
            if path.is_dir() and not path.is_symlink():
                found.licence = found.licence or ", ".join(reuse_licences(path))
                continue
            text = read(path)
            if text:
                found.licence = found.licence or licence_name(text)
                match = COPYRIGHT.search(text)
                if match and not found.copyright:
                    found.copyright = "© " + re.sub(r"\.?\s*All rights reserved\.?\s*$", "",
                                                    plain_words(match.group(1), 160), flags=re.I).strip(" ,;:")
        for path in files["authors"]:
            text = None if found.authors else read(path)
            found.authors = found.authors or author_names(text or "")
        for path in files["citation"]:
            text = read(path)
            if not text:
                continue
            if path.name.lower().endswith(".cff"):
                names, licence = citation_cff(text)
                found.authors = found.authors or names
                found.licence = found.licence or licence
            else:
                found.cite = found.cite or cite_text(text)
    return found


def sentence(text):
    text = text.strip()
    return text if text.endswith((".", "!", "?", "…")) else text + "."


def credit_line(reader, lead=None, licence=None, source=None):
    """The path's credits as one plain line: `lead` (who publishes it), copyright, authors, licence, source.

    `licence` is one the lesson declares itself (a Carpentries config.yaml); with
    none declared or found in the files, the import warns.
    """
    found = gather(reader)
    licence = plain_words(str(licence or ""), 120) or found.licence
    if not licence:
        reader.problems.warning(reader.rel(reader.folder, follow=False), None,
                                "no licence found (LICENSE, LICENSES/ or CITATION.cff, in the folder or the one "
                                "above): check that these lessons may be shared, then add their licence")
    parts = [lead] if lead else []
    if found.copyright and not lead:
        parts.append(found.copyright)
    if found.authors:
        shown = ", ".join(found.authors[:SHOWN_AUTHORS])
        parts.append(f"Authors: {shown}{' et al.' if len(found.authors) > SHOWN_AUTHORS else ''}")
    elif found.cite:
        parts.append(f"Cite as: {found.cite}")
    if licence:
        parts.append(f"Licence: {licence}")
    line = " ".join(sentence(p) for p in parts)
    return f"{line} Source: {source}".strip() if source else line
