"""The records behind the dataset's smaller tables: a document's aanpakken, its context facts and organisations, a
national report's figures, and the links between 2013 findings and their 2014 follow-ups.

They live here, beside ``records``, so that a ``DocumentResult`` can hold them typed; the stages that make them
(``series.identity``, ``facts.context``, ``facts.report``, ``output.link``) import them from here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from extract.core.enums import Change, LinkSource, OrganisationRole, Role, Verdict


@dataclass
class Aanpak:
    """One aanpak of a document: its canonical name, every spelling seen, and its role (comparing spellings is
    ``series.identity``'s: ``aanpak_names``, ``same_aanpak_as``)."""

    canonical: str
    role: Role
    aliases: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)  # its year is the series' (``identity.aanpak_year``)
    page: int | None = None  # the page it is first declared on (title block, introduction, section or header)


@dataclass
class ContextFact:
    """One fact about a gemeente read from a document's prose (``context`` table)."""

    doc_id: str
    gemeente: str
    fact: str
    value: float | None
    unit: str
    qualifier: str
    date: str
    sentence: str
    page: int


@dataclass
class Organisation:
    """An organisation a document names (``organisations`` table)."""

    doc_id: str
    gemeente: str
    name: str
    canonical: str
    role: OrganisationRole
    finding_id: str
    sentence: str


@dataclass
class NationalFigure:
    """One "N van de M aanpakken (P%)" statement of a national report (``national_figures`` table)."""

    doc_id: str
    page: int
    topic: str
    n: int | None
    total: int | None
    percent: float | None
    sentence: str
    indicator_id: str


@dataclass
class Link:
    """A 2013 finding and its 2014 follow-up (``links`` table)."""

    link_id: str
    gemeente: str
    indicator_id: str
    aanpak_2013: str
    finding_2013_id: str
    verdict_2013: Verdict
    aanpak_2014: str
    finding_2014_id: str
    verdict_2014: Verdict
    change: Change
    source: LinkSource
    conflict: str
    verdict_2013_followup: Verdict | str  # '' when the follow-up has no 2013 row for it
    followup_doc_id: str
