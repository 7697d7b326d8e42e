"""Core: the records passed between stages, the errors, the settings and the text helpers every stage shares."""
