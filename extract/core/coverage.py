"""The coverage check's records: what a document owes (every framework indicator for each aanpak it declares, a
follow-up's every listed row) and what it gives, per indicator cell, per page and aanpak, per declared aanpak and in
total (``document.coverage`` fills them)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class IndicatorCell:
    """One indicator recognised in a table's indicator column, and the years of the findings made from its row.

    ``years``: the years of the table's findings columns (one for a factsheet; the assessed and the follow-up year
    for a follow-up); ``owed``: the years the row must answer (a follow-up row always its assessed year, in one of
    that year's columns; its follow-up year only where an empty cell cannot be told from lost text, on a scan);
    ``answered``: the years for which a finding came from this cell's row."""

    indicator_id: str
    page: int
    years: tuple[int, ...]
    answered: tuple[int, ...]
    owed: tuple[int, ...] = ()
    aanpak: str = ""  # a factsheet's cell is one per findings column's aanpak; a follow-up row's answers them all

    @property
    def missing_years(self) -> tuple[int, ...]:
        """The owed years this row does not answer."""
        return tuple(sorted(set(self.owed) - set(self.answered)))

    @property
    def complete(self) -> bool:
        return bool(self.answered) and not self.missing_years


@dataclass
class PageCoverage:
    """The indicator cells on one page and how many gave their findings; ``missing``: indicators short, in order."""

    page: int
    cells: int
    complete: int
    missing: list[str] = field(default_factory=list)
    missing_years: dict[str, list[int]] = field(default_factory=dict)  # follow-up: indicator → years not answered
    unseen: list[str] = field(default_factory=list)  # factsheet: indicators due here that no table showed
    aanpak: str = ""  # a factsheet's: the aanpak these cells answer for ('' for a follow-up's rows)

    @property
    def short(self) -> int:
        return self.cells - self.complete


@dataclass(frozen=True)
class AanpakCoverage:
    """What a document owes for one aanpak it declares, and what it gives: rows expected and found, and the page it
    is declared on."""

    aanpak: str
    year: int
    expected: int | None  # a follow-up's: None (it lists only verbeterpunten: at least one is owed), 0 when its
    # column was seen and every cell of it is empty (no finding reported: nothing is owed)
    found: int
    page: int | None = None
    missing: tuple[str, ...] = ()  # the indicators of an aanpak that gave no finding at all


@dataclass
class Coverage:
    """A document's coverage: rows it must answer (indicators times aanpakken), those it answers completely, the
    pages' detail and the totals per declared aanpak."""

    expected: int
    found: int
    pages: list[PageCoverage]
    aanpakken: list[AanpakCoverage] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return self.found >= self.expected and not any(p.short for p in self.pages)
