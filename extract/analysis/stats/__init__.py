"""Statistics of an output folder, following the design of the inspections (``stj stats OUT`` → ``OUT/stats/``).

``cells`` reads the folder into unique assessed cells and an account of what was left out; ``rates`` makes the
tables (factsheet-only pass rates, follow-up resolution rates, the verdict grid, a gemeente's sheet); ``national``
sets the national figures beside the same year's rates; ``plots`` and ``describe`` draw and describe them; ``html``
writes the pages; ``build`` puts the folder together.
"""

from extract.analysis.stats.build import build_stats

__all__ = ["build_stats"]
