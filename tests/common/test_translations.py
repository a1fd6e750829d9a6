"""The translation catalogues under locale/ are complete, compiled and cover every string.

Regenerate and compile them with the same command as ``make messages``::

    python manage.py makemessages --no-obsolete --ignore=.venv --ignore=var \
        --ignore=bench --ignore=tests -l ru -l en -l ky -l kk -l tr -l uz -l az
    python manage.py compilemessages --ignore=.venv

The .mo files are committed: the portal must start with nothing but Python installed.
"""

from __future__ import annotations

import gettext
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

BASE_DIR = Path(settings.BASE_DIR)
LOCALE_DIR = BASE_DIR / "locale"
LANGUAGES = [code for code, _name in settings.LANGUAGES]
# Every language the portal offers must translate every string, with no fuzzy entry:
# a Kyrgyz, Uzbek or Azerbaijani officer must never meet an English button.
COMPLETE_LANGUAGES = LANGUAGES
MAKEMESSAGES_IGNORES = [".venv", "var", "bench", "tests"]
# Never copied into the scratch tree that makemessages scans.
COPY_IGNORES = shutil.ignore_patterns(
    ".venv",
    ".git",
    "var",
    "bench",
    "tests",
    "node_modules",
    "__pycache__",
    ".mypy_cache",
    ".ruff_cache",
    ".pytest_cache",
    "test-results",
    "tmp",
    "*.mo",
    "*.pyc",
)

PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]")
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}


# --- A small .po reader ----------------------------------------------------------


@dataclass
class Entry:
    msgid: str = ""
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    line: int = 0

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.msgctxt, self.msgid)

    @property
    def fuzzy(self) -> bool:
        return "fuzzy" in self.flags

    @property
    def translated(self) -> bool:
        return bool(self.msgstr) and all(self.msgstr.values())

    def label(self) -> str:
        context = f"[{self.msgctxt}] " if self.msgctxt is not None else ""
        return f"line {self.line}: {context}{self.msgid!r}"


def _unquote(text: str) -> str:
    text = text.strip()
    if len(text) < 2 or text[0] != '"' or text[-1] != '"':
        raise ValueError(f"not a quoted string: {text}")
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(0)), text[1:-1])


_KEYWORD = re.compile(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(\".*\")\s*$")


def read_po(path: Path) -> list[Entry]:
    """Entries of a .po file, the header (empty msgid) included; obsolete ``#~`` ones skipped."""
    entries: list[Entry] = []
    entry: Entry | None = None
    target: tuple[str, int] | None = None
    flags: set[str] = set()

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#~"):
            continue
        if line.startswith("#,"):
            flags |= {flag.strip() for flag in line[2:].split(",") if flag.strip()}
            continue
        if line.startswith("#"):
            continue
        match = _KEYWORD.match(line)
        if match:
            keyword, index, value = match.groups()
            text = _unquote(value)
            # msgctxt always opens an entry; msgid does unless a msgctxt just did.
            opens = keyword == "msgctxt" or (
                keyword == "msgid" and (entry is None or bool(entry.msgstr))
            )
            if opens:
                if entry is not None:
                    entries.append(entry)
                entry = Entry(flags=flags, line=number)
                flags = set()
            assert entry is not None, f"{path}:{number}: {keyword} outside an entry"
            if keyword == "msgctxt":
                entry.msgctxt = text
                target = ("msgctxt", 0)
            elif keyword == "msgid":
                entry.msgid = text
                target = ("msgid", 0)
            elif keyword == "msgid_plural":
                entry.msgid_plural = text
                target = ("msgid_plural", 0)
            else:
                position = int(index) if index is not None else 0
                entry.msgstr[position] = text
                target = ("msgstr", position)
            continue
        if line.startswith('"') and entry is not None and target is not None:
            text = _unquote(line)
            kind, position = target
            if kind == "msgstr":
                entry.msgstr[position] += text
            elif kind == "msgctxt":
                entry.msgctxt = (entry.msgctxt or "") + text
            else:
                setattr(entry, kind, getattr(entry, kind) + text)
            continue
        raise ValueError(f"{path}:{number}: cannot read {raw!r}")
    if entry is not None:
        entries.append(entry)
    return entries


def messages(path: Path) -> list[Entry]:
    """The translatable entries of a .po file, without its header."""
    return [entry for entry in read_po(path) if entry.msgid or entry.msgctxt is not None]


def po_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / "django.po"


def plural_count(language: str) -> int:
    header = next(e for e in read_po(po_path(language)) if not e.msgid and e.msgctxt is None)
    match = re.search(r"nplurals\s*=\s*(\d+)", header.msgstr.get(0, ""))
    assert match, f"{language}: the header has no Plural-Forms"
    return int(match.group(1))


# --- The catalogues ---------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_exists_for_every_language(language):
    assert po_path(language).is_file(), f"run makemessages: {po_path(language)} is missing"
    assert po_path(language).with_suffix(".mo").is_file(), (
        f"run compilemessages: {po_path(language).with_suffix('.mo')} is missing"
    )


@pytest.mark.parametrize("language", COMPLETE_LANGUAGES)
def test_catalogue_is_complete(language):
    entries = messages(po_path(language))
    assert entries, f"{language}: the catalogue is empty"
    problems = [f"untranslated {e.label()}" for e in entries if not e.translated]
    problems += [f"fuzzy {e.label()}" for e in entries if e.fuzzy]
    assert not problems, f"{language}: {len(problems)} entries to fix in {po_path(language)}:\n" + (
        "\n".join(problems)
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_placeholders_and_plural_forms(language):
    """A translation uses exactly the %(name)s placeholders of its source, in every form."""
    nplurals = plural_count(language)
    wrong = []
    for entry in messages(po_path(language)):
        if not entry.translated:
            continue
        expected = set(PLACEHOLDER.findall(entry.msgid))
        if entry.msgid_plural is not None:
            expected_plural = set(PLACEHOLDER.findall(entry.msgid_plural))
            if len(entry.msgstr) != nplurals:
                wrong.append(f"{entry.label()}: {len(entry.msgstr)} forms, {nplurals} expected")
            for form in entry.msgstr.values():
                # A form may leave out %(counter)s (e.g. "one"), never add a name.
                if not set(PLACEHOLDER.findall(form)) <= expected | expected_plural:
                    wrong.append(f"{entry.label()}: {form!r}")
        elif set(PLACEHOLDER.findall(entry.msgstr[0])) != expected:
            wrong.append(f"{entry.label()}: {entry.msgstr[0]!r}")
    assert not wrong, f"{language}: placeholders differ from the source:\n" + "\n".join(wrong)


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="gettext tools not installed")
@pytest.mark.parametrize("language", LANGUAGES)
def test_msgfmt_accepts_the_catalogue(language):
    result = subprocess.run(
        ["msgfmt", "--check-format", "--check-header", "-o", "/dev/null", str(po_path(language))],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("language", LANGUAGES)
def test_compiled_catalogue_matches_the_po(language):
    """The committed .mo holds exactly the translations of the .po: compilemessages was run."""
    expected: dict[object, str] = {}
    for entry in messages(po_path(language)):
        if entry.fuzzy or not entry.translated:
            continue  # msgfmt leaves these out
        key = entry.msgid if entry.msgctxt is None else f"{entry.msgctxt}\x04{entry.msgid}"
        if entry.msgid_plural is None:
            expected[key] = entry.msgstr[0]
        else:
            for position, form in entry.msgstr.items():
                expected[(key, position)] = form

    with po_path(language).with_suffix(".mo").open("rb") as handle:
        compiled = dict(gettext.GNUTranslations(handle)._catalog)  # type: ignore[attr-defined]
    compiled.pop("", None)  # the header

    stale = sorted(repr(key) for key in expected if compiled.get(key) != expected[key])
    extra = sorted(repr(key) for key in compiled if key not in expected)
    assert not stale, f"{language}: django.mo is out of date, run compilemessages: {stale[:20]}"
    assert not extra, f"{language}: django.mo has strings the .po lacks: {extra[:20]}"


# --- Every marked string is in the catalogue --------------------------------------


@pytest.mark.skipif(
    shutil.which("xgettext") is None or shutil.which("msgmerge") is None,
    reason="gettext tools not installed",
)
def test_catalogue_covers_every_marked_string(tmp_path):
    """makemessages over a scratch copy of the project finds no string the catalogue lacks.

    The copy keeps the repository untouched: makemessages writes into the copy's locale/.
    """
    tree = tmp_path / "project"
    shutil.copytree(BASE_DIR, tree, ignore=COPY_IGNORES, symlinks=True)
    command = [sys.executable, "manage.py", "makemessages", "--no-obsolete", "-l", "ru"]
    command += [f"--ignore={pattern}" for pattern in MAKEMESSAGES_IGNORES]
    result = subprocess.run(
        command, cwd=tree, capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr

    committed = {entry.key for entry in messages(po_path("ru"))}
    regenerated = messages(tree / "locale" / "ru" / "LC_MESSAGES" / "django.po")
    missing = [entry.label() for entry in regenerated if entry.key not in committed]
    assert not missing, (
        f"{len(missing)} marked strings are not in locale/*/django.po; run makemessages, "
        "translate them and run compilemessages:\n" + "\n".join(missing)
    )


# --- The portal speaks Russian by default -----------------------------------------


def test_russian_is_the_default_language():
    from config import settings as project_settings  # the tests switch LANGUAGE_CODE to en

    assert project_settings.LANGUAGE_CODE == "ru"


@pytest.mark.parametrize("source", ["Applications", "Approved", "Referral", "Quota pools"])
def test_russian_strings_render_in_cyrillic(source):
    with translation.override("ru"):
        text = translation.gettext(source)
    assert text != source
    assert re.search(r"[А-Яа-яЁё]", text), f"{source!r} -> {text!r}"


def test_russian_plural_forms_render():
    with translation.override("ru"):
        forms = [
            translation.ngettext("%(counter)s institution", "%(counter)s institutions", n)
            % {"counter": n}
            for n in (1, 3, 5, 21)
        ]
    assert forms == ["1 учреждение", "3 учреждения", "5 учреждений", "21 учреждение"]


@pytest.mark.parametrize("language", ["ky", "kk", "tr", "uz", "az"])
def test_other_languages_translate_the_navigation(language):
    with translation.override(language):
        assert translation.gettext("Applications") != "Applications"
        assert translation.gettext("Referrals") != "Referrals"
