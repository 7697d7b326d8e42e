"""The description of a series: one JSON file (``models/stj_series.json`` for Samenwerkend Toezicht Jeugd) that says
which framework the series uses, which years it assesses and follows up, and how its documents word their titles,
headings, table headers, month lines, approaches, markers and caveats. ``Series`` is that file read and checked (an
error names the bad key); the regexes that embed the series' words are built from it here, once per file.

Stage code asks ``series()`` for the active series and speaks of roles ("the assessed year", "the follow-up year"),
never of a year or a heading itself. The active series is the default file, or the one ``$STJ_SERIES`` names, or
the one a run's ``RunOptions.series_file`` names (``use``: the pipeline calls it in every worker process).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from extract.core.errors import ExitCode, StjError
from extract.series.assets import models_dir

DEFAULT_FILE = "stj_series.json"
ENV_VAR = "STJ_SERIES"
VERDICTS = ("pass", "fail")


class SeriesError(StjError, ValueError):
    """A series description that cannot be used; the message names the file and the key."""

    exit_code = ExitCode.bad_usage


def _words(phrase: str) -> str:
    """A phrase as a regex: its words escaped, any whitespace between them."""
    return r"\s+".join(re.escape(word) for word in phrase.split())


def _either_case(word: str) -> str:
    """A word as a regex whose first letter may be either case and the rest lower case ("[Ll]et")."""
    return f"[{word[0].upper()}{word[0].lower()}]{re.escape(word[1:].lower())}"


@dataclass(frozen=True)
class Series:
    """One series' description, checked. Derived regexes and sets are built on creation."""

    name: str
    framework_path: Path
    assessed_year: int
    followup_year: int
    series_words: tuple[str, ...]  # squashed (letters a-z only)
    factsheet_title: str
    followup_title: str
    title_word: str
    place_prefix: str
    report_markers: tuple[str, ...]
    report_words: tuple[str, ...]
    figure_subject: str
    figures_year: int | None  # the year the national report's figures are about (None: not stated, not compared)
    months: tuple[str, ...]
    approach_word: str
    approach_plural: str
    articles: tuple[str, ...]
    article: str
    assessed_intro: str
    conclusion_heading: str
    continued_heading: str
    goes_well_heading: str
    could_improve_heading: str
    criterion_heads: frozenset[str]
    indicator_heads: frozenset[str]
    findings_heads: frozenset[str]
    column_labels: frozenset[str]
    name_connectors: frozenset[str]
    checks: frozenset[str]
    crosses: frozenset[str]
    letter_crosses: frozenset[str]
    canonical_markers: dict[str, str]  # verdict → the marker the dataset shows for it
    symbol_fonts: dict[str, dict[str, str]]
    list_bullets: frozenset[str]  # glyphs that open a list item ("•", "▪", ...)
    list_dashes: frozenset[str]  # ... and those that do so only before a capital ("-", "–", "*")
    ocr_bullets: frozenset[str]  # what OCR reads a bullet as ("*", "«", "e", ...): a list item on a scan
    bullet_fonts: dict[str, dict[int, str]]  # symbol font → its bullet codes → the bullet each draws
    caveat: str
    page_word: str  # the running footer's "pagina 3"
    respondents_intro: str  # the line that lists a factsheet's respondents ("... is ingevuld door:")
    repair_words: tuple[str, ...]
    digest: str  # of the description's and the framework's bytes: a results-cache key part
    derived: dict = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self):
        d = self.derived
        years = f"{self.assessed_year}", f"{self.followup_year}"
        d["years"] = frozenset(years)
        d["month_numbers"] = {m: i for i, m in enumerate(self.months, start=1)}
        d["month_line"] = re.compile(r"^\s*(" + "|".join(map(re.escape, self.months)) + r")\s+((?:19|20)\d\d)\s*$",
                                     re.IGNORECASE)
        d["followup_title_re"] = re.compile(_words(self.followup_title) + r"\s*(.*)$", re.IGNORECASE)
        d["factsheet_title_re"] = re.compile(_words(self.factsheet_title) + r"\s*(.*)$", re.IGNORECASE)
        d["national_figure"] = re.compile(
            _words(self.figure_subject) + r"\W{0,3}[^.]{0,60}?\d{1,3}\s*(?:%|procent)"
            r"|\d{1,3}\s*(?:%|procent)[^.]{0,60}?" + _words(self.figure_subject), re.IGNORECASE)
        word, plural = self.approach_word, self.approach_plural
        approach = (f"{re.escape(word)}(?:{re.escape(plural[len(word):])})?" if plural.startswith(word)
                    else f"(?:{re.escape(plural)}|{re.escape(word)})")
        d["approach_line"] = re.compile(rf"^\s*{re.escape(self.approach_word)}\s*:\s*(.+?)\s*$", re.IGNORECASE)
        d["earlier_line"] = re.compile(rf"^\s*\(?\s*{self.assessed_year}\s*:\s*(.+?)\s*\)?\s*$")
        d["earlier_line_start"] = re.compile(rf"^\(?\s*{self.assessed_year}\s*:")
        quotes = "'‘’\"“”"
        d["intro_name"] = re.compile(rf"\b{re.escape(self.article)}\s+{approach}\s+[{quotes}]([^{quotes}]{{2,80}})"
                                     rf"[{quotes}]", re.IGNORECASE)
        d["intro_assessed"] = re.compile(rf"\b{_words(self.assessed_intro)}\s+(.{{2,80}}?)\s*[.;]", re.IGNORECASE)
        articles = "|".join(map(re.escape, self.articles))
        d["article_prefix"] = re.compile(rf"^\s*(?:(?:{articles})\s+)?{approach}\b\s*[:'\"‘’“”]?\s*",
                                         re.IGNORECASE)
        d["prose_prefix"] = re.compile(rf"^\s*(?:{re.escape(self.article)}\s+{approach}|{approach})\s+(?=\S)")
        d["approach_only"] = re.compile(rf"(?i)\s*{re.escape(word)}\w*\s*")
        d["page_footer"] = re.compile(rf"\b{re.escape(self.page_word)}\s+\d+\s*$", re.IGNORECASE)
        d["respondents_line"] = re.compile(_words(self.respondents_intro) + r"\s*:\s*$", re.IGNORECASE)
        d["place_prefix_re"] = re.compile(rf"^\s*{re.escape(self.place_prefix)}\s+", re.IGNORECASE)
        caveat = self.caveat.split()
        d["caveat_re"] = re.compile(r"\b" + r"\s*".join(map(re.escape, caveat)) + r"\b|\b"
                                 + r"\s+".join(map(_either_case, caveat)) + r"\s*:")
        header_words = self.criterion_heads | self.indicator_heads | self.findings_heads | d["years"]
        d["header_words"] = header_words
        d["header_first_words"] = self.criterion_heads | self.indicator_heads
        d["cell_heads"] = header_words | self.column_labels

    # roles: the assessed year's aanpak is "assessed" in a factsheet; a follow-up names its earlier aanpakken by the
    # assessed year and its new one by the follow-up year (the role strings are the years, as the dataset has them)
    @property
    def earlier_role(self) -> str:
        return str(self.assessed_year)

    @property
    def followup_role(self) -> str:
        return str(self.followup_year)

    @property
    def list_source(self) -> str:
        """Where a follow-up names its earlier aanpakken in the title block: the "(<assessed year>: …)" line."""
        return f"line-{self.assessed_year}"

    def year_of_role(self, role: str) -> int:
        return self.followup_year if role == self.followup_role else self.assessed_year

    def role_of_year(self, year: int | None) -> str:
        return self.earlier_role if year == self.assessed_year else self.followup_role

    def __getattr__(self, name: str):  # the derived regexes and sets, as attributes
        derived = self.__dict__.get("derived", {})
        if name in derived:
            return derived[name]
        raise AttributeError(name)


# ---------------------------------------------------------------- reading


def _get(data: dict, dotted: str, kind: type, where: str):
    value = data
    for part in dotted.split("."):
        if not isinstance(value, dict) or part not in value:
            raise SeriesError(f"{where}: missing key {dotted!r}")
        value = value[part]
    if kind is list:
        if not isinstance(value, list) or not value or not all(isinstance(v, str) and v.strip() for v in value):
            raise SeriesError(f"{where}: {dotted!r} must be a non-empty list of words, not {value!r}")
        return tuple(value)
    if kind is int:
        if not isinstance(value, int) or isinstance(value, bool) or not 1900 <= value <= 2099:
            raise SeriesError(f"{where}: {dotted!r} must be a year (1900-2099), not {value!r}")
        return value
    if kind is dict:
        if not isinstance(value, dict):
            raise SeriesError(f"{where}: {dotted!r} must be an object, not {value!r}")
        return value
    if not isinstance(value, str) or not value.strip():
        raise SeriesError(f"{where}: {dotted!r} must be a non-empty text, not {value!r}")
    return value


def _lower_set(data: dict, dotted: str, where: str) -> frozenset[str]:
    return frozenset(w.lower() for w in _get(data, dotted, list, where))


def _symbol_fonts(data: dict, where: str) -> dict[str, dict[str, str]]:
    fonts = _get(data, "markers.symbol_fonts", dict, where)
    for font, table in fonts.items():
        if not isinstance(table, dict) or not all(isinstance(k, str) and v in VERDICTS for k, v in table.items()):
            raise SeriesError(f"{where}: 'markers.symbol_fonts.{font}' must map characters to 'pass' or 'fail'")
    return {font.lower(): dict(table) for font, table in fonts.items()}


def _bullets(data: dict, where: str) -> dict:
    """The optional "bullets" section: the glyphs that open a list item, what OCR reads them as, and the codes of
    symbol fonts that draw them. Without it no glyph is known as a bullet."""
    section = data.get("bullets", {})
    if not isinstance(section, dict):
        raise SeriesError(f"{where}: 'bullets' must be an object, not {section!r}")
    out = {}
    for key, field_name in (("characters", "list_bullets"), ("dashes", "list_dashes"), ("ocr", "ocr_bullets")):
        value = section.get(key, "")
        if not isinstance(value, str) or any(c.isspace() for c in value):
            raise SeriesError(f"{where}: 'bullets.{key}' must be a text of characters without spaces, not {value!r}")
        out[field_name] = frozenset(value)
    fonts = section.get("symbol_fonts", {})
    tables: dict[str, dict[int, str]] = {}
    if not isinstance(fonts, dict):
        raise SeriesError(f"{where}: 'bullets.symbol_fonts' must be an object, not {fonts!r}")
    for font, table in fonts.items():
        if not isinstance(table, dict) or not all(
                isinstance(k, str) and k.isdigit() and int(k) < 256 and isinstance(v, str) and len(v) == 1
                for k, v in table.items()):
            raise SeriesError(f"{where}: 'bullets.symbol_fonts.{font}' must map character codes (0-255, as text) "
                              "to the one character each draws")
        tables[font.lower().replace(" ", "").replace("-", "")] = {int(k): v for k, v in table.items()}
    out["bullet_fonts"] = tables
    return out


def _canonical(data: dict, where: str) -> dict[str, str]:
    markers = _get(data, "markers.canonical", dict, where)
    if set(markers) != set(VERDICTS) or not all(isinstance(v, str) and v for v in markers.values()):
        raise SeriesError(f"{where}: 'markers.canonical' must give a marker for 'pass' and for 'fail'")
    return dict(markers)


def _figures_year(data: dict, assessed: int, followup: int, where: str) -> int | None:
    """``report.figures_year``: the year the national report's figures are about, one of the series' two years (a
    report published after the assessment may count what that assessment found). Optional: without it the figures are
    not set beside any year's rates."""
    report = data.get("report")
    if not isinstance(report, dict) or "figures_year" not in report:
        return None
    year = _get(data, "report.figures_year", int, where)
    if year not in (assessed, followup):
        raise SeriesError(f"{where}: 'report.figures_year' ({year}) must be 'years.assessed' ({assessed}) or "
                          f"'years.followup' ({followup})")
    return year


def parse(text: bytes, folder: Path, where: str = "series description") -> Series:
    """A series from a description's bytes; the framework file is looked up beside it (``folder``)."""
    try:
        data = json.loads(text.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SeriesError(f"{where}: not a JSON file ({exc})") from exc
    if not isinstance(data, dict):
        raise SeriesError(f"{where}: must hold a JSON object")
    g = lambda key, kind=str: _get(data, key, kind, where)  # noqa: E731 - a short local reader
    framework = folder / g("framework")
    if not framework.is_file():
        raise SeriesError(f"{where}: 'framework' names {framework}, which is not a file")
    assessed, followup = g("years.assessed", int), g("years.followup", int)
    if followup <= assessed:
        raise SeriesError(f"{where}: 'years.followup' ({followup}) must come after 'years.assessed' ({assessed})")
    months = g("months", list)
    if len(months) != 12:
        raise SeriesError(f"{where}: 'months' must name 12 months, not {len(months)}")
    figures_year = _figures_year(data, assessed, followup, where)
    digest = hashlib.sha256(text + b"\0" + framework.read_bytes()).hexdigest()[:16]
    return Series(
        name=g("name"), framework_path=framework, assessed_year=assessed, followup_year=followup,
        series_words=tuple(re.sub(r"[^a-z]", "", w.lower()) for w in g("series_words", list)),
        factsheet_title=g("titles.factsheet"), followup_title=g("titles.followup"),
        title_word=re.sub(r"[^a-z]", "", g("titles.common_word").lower()), place_prefix=g("titles.place_prefix"),
        report_markers=tuple(w.lower() for w in g("report.markers", list)),
        report_words=tuple(w.lower() for w in g("report.words", list)), figure_subject=g("report.figure_subject"),
        figures_year=figures_year,
        months=tuple(m.lower() for m in months), approach_word=g("approach.word"),
        approach_plural=g("approach.plural"), articles=g("approach.articles", list), article=g("approach.article"),
        assessed_intro=g("approach.assessed_intro"), conclusion_heading=g("headings.conclusion"),
        continued_heading=g("headings.continued"), goes_well_heading=g("headings.goes_well"),
        could_improve_heading=g("headings.could_improve"),
        criterion_heads=_lower_set(data, "table_header.criterion", where),
        indicator_heads=_lower_set(data, "table_header.indicator", where),
        findings_heads=_lower_set(data, "table_header.findings", where),
        column_labels=_lower_set(data, "table_header.labels", where),
        name_connectors=_lower_set(data, "table_header.name_connectors", where),
        checks=frozenset(g("markers.checks")), crosses=frozenset(g("markers.crosses")),
        letter_crosses=frozenset(g("markers.letter_crosses")), canonical_markers=_canonical(data, where),
        symbol_fonts=_symbol_fonts(data, where), **_bullets(data, where),
        caveat=g("caveat"), page_word=g("page_word"),
        respondents_intro=g("respondents_intro"), repair_words=tuple(g("repair_words").split()), digest=digest)


_LOADED: dict[tuple[str, bytes], tuple[bytes, Series]] = {}  # (path, bytes) → (its framework's bytes, series)


def load(path: Path | str) -> Series:
    """The series a description file holds (parsed again only when it or its framework changed)."""
    path = Path(path)
    try:
        text = path.read_bytes()
    except OSError as exc:
        raise SeriesError(f"series description {path}: cannot be read ({exc.strerror or exc})") from exc
    key = (str(path.resolve()), text)
    if key in _LOADED:
        framework, loaded = _LOADED[key]
        try:
            if loaded.framework_path.read_bytes() == framework:
                return loaded
        except OSError:
            pass  # parse says what is wrong
    loaded = parse(text, path.resolve().parent, f"series description {path}")
    _LOADED[key] = (loaded.framework_path.read_bytes(), loaded)
    return loaded


def default_file() -> Path:
    """``$STJ_SERIES`` when set, else the description among the model assets."""
    override = os.environ.get(ENV_VAR)
    return Path(override) if override else models_dir() / DEFAULT_FILE


def resolve(series_file: Path | str | None) -> Path:
    """The description file a run uses: the one given, else ``default_file()``."""
    return Path(series_file) if series_file else default_file()


_ACTIVE: list[Series] = []


def use(series_file: Path | str | None = None) -> Series:
    """Make the series a description file holds (None: the default) the active one, and return it."""
    active = load(resolve(series_file))
    _ACTIVE[:] = [active]
    return active


@contextmanager
def using(series_file: Path | str | None) -> Iterator[Series]:
    """``use`` for the duration of a ``with`` block; the series active before is active again after it."""
    before = list(_ACTIVE)
    try:
        yield use(series_file)
    finally:
        _ACTIVE[:] = before


def digest_of(series_file: Path | str | None) -> str:
    """The digest of the description a run uses and its framework (a results-cache key part): their content, not
    their path, so that an edited description never serves a stale result."""
    return load(resolve(series_file)).digest


def series() -> Series:
    """The active series (the default one until ``use`` names another)."""
    if not _ACTIVE:
        use(None)
    return _ACTIVE[0]
