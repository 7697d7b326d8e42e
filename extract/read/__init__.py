"""Reading a PDF: the text layer, the page tree, triage of files that are not of the series, and the text-or-OCR decision."""
