"""The document: its kind and headers, the findings of its tables (markers, alignment to the framework) and coverage."""
