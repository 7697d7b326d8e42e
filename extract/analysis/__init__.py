"""Analysis of an output folder: the audit page, statistics and evaluation against gold files."""
