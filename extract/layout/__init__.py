"""Stage: layout, as a package of its steps. Reconstruct tables from word positions, fonts and (when there are any) ruling lines.

The algorithm, each step a small function:

1. ``page_lines``: words → baselines; ``running_furniture``: lines repeated on most pages (running headers and
   footers) are dropped, but never a theme heading or a table's header row (repeated atop each page it continues on).
2. ``is_header_line``: a table starts at a header row (Criteria / Indicatoren / Bevindingen, or Indicator / 2013 /
   2014); ``header_columns`` turns the header's word clusters into columns, snapped to a vertical rule when one is
   drawn next to the header text, and reads the header's continuation lines ("2013" / "Aanpak A").
3. ``table_body``: the body runs until a heading (larger type, in one column), another header row, a line with a
   word straddling a column boundary (prose), a wide vertical gap, or the page's end. A word OCR glued across the gap
   between two cells is unsure: it is no prose, and ``cut_at_edges`` cuts it at the column's edge.
4. ``merge_continued``: a table continued on the next page (under a repeated header, with the same heading or none,
   its columns where they were or the whole page set a little to the side) becomes one logical table in flow
   coordinates; a row split across the page break therefore needs no bottom rule, and its part on the next page
   (no marker, often no indicator text) stays in the row it continues.
5. ``row_boundaries``: horizontal rules inside the body that cross the columns right of the first one separate rows
   (hard boundaries for the align stage); a rule broken into pieces counts when its pieces together cross every one
   of those columns, and a rule that runs through a line of text is no row boundary. Without rules the align stage
   works from positions and wording alone.

On a scan a rule the OCR did not find stays in the image, and Tesseract reads it as a line of letters: ``is_residue``
knows such a line by its geometry (low confidence, a few letters spread over a wide stretch, thinner than the type)
and takes it out of the text. Left in, it would end the table as a line running across the columns and lose every
row below it; ``residue_rules`` turns it back into the rule it was, so that it still separates the rows.
"""
