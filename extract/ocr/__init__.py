"""OCR: a scanned page read into the same Page record a born-digital page gives (image, rules, Tesseract, markers, repair, cache)."""
