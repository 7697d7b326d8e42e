"""Unrelated, real-looking PDFs (reportlab): documents a user may have lying around next to the STJ factsheets, none
of which is a factsheet, follow-up or national report, so each must be skipped with a reason.

    form          an application form: labels, boxes, fill-in fields (AcroForm), check boxes
    slides        a landscape slide deck: big titles, bullets, on the youth care of a region
    article       a three-column magazine article on inspections of youth care
    letter_scan   a letter from a gemeente, printed, scanned (noise, a slight skew) and saved as an image-only page
    invoice       an invoice: a ruled table of items, amounts and totals
    newsletter    a municipal newsletter whose news item reports on a Samenwerkend Toezicht Jeugd inspection of
                  the care for families with low social self-reliance (the series' own words, in a news story)
    school        an Inspectorate of Education report titled "Uitkomsten toezichtonderzoek" (the series' title words)

``make_all(folder)`` writes every one and returns their paths by name. Everything is deterministic.
"""

from __future__ import annotations

import io
import random
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas
from reportlab.platypus import (BaseDocTemplate, Frame, FrameBreak, PageTemplate, Paragraph, SimpleDocTemplate,
                                Spacer, Table, TableStyle)

WIDTH, HEIGHT = A4

LOREM = (
    "De gemeente werkt samen met scholen, huisartsen en de wijkteams aan een goede start voor ieder kind. In de "
    "afgelopen maanden is gesproken met ouders, jongeren en professionals over wat beter kan. Zij gaven aan dat de "
    "weg naar hulp soms lang is en dat informatie niet altijd op één plek te vinden is. Daarom komt er een digitaal "
    "loket waar inwoners met al hun vragen terecht kunnen. Het college verwacht dat het loket in het voorjaar open "
    "gaat; tot die tijd kunt u bellen met het algemene nummer van de gemeente.")


def _styles():
    base = getSampleStyleSheet()
    body = ParagraphStyle("body", parent=base["BodyText"], fontName="Times-Roman", fontSize=10, leading=13)
    return base, body


# ---------------------------------------------------------------- form


def form(path: Path) -> Path:
    """An application form for a parking permit: labelled boxes with AcroForm text fields and check boxes."""
    pdf = canvas.Canvas(str(path), pagesize=A4)
    pdf.setTitle("Aanvraagformulier parkeervergunning")
    pdf.setFont("Helvetica-Bold", 18)
    pdf.drawString(20 * mm, HEIGHT - 30 * mm, "Aanvraagformulier parkeervergunning bewoners")
    pdf.setFont("Helvetica", 9)
    pdf.drawString(20 * mm, HEIGHT - 37 * mm, "Vul dit formulier volledig in en stuur het met een kopie van uw "
                                              "kentekenbewijs naar de gemeente.")
    fields = ["Achternaam", "Voorletters", "Straat en huisnummer", "Postcode", "Woonplaats", "Telefoonnummer",
              "E-mailadres", "Kenteken voertuig", "Merk en type"]
    y = HEIGHT - 55 * mm
    form_api = pdf.acroForm
    for index, label in enumerate(fields):
        pdf.setFont("Helvetica", 10)
        pdf.drawString(20 * mm, y + 2 * mm, label)
        pdf.rect(70 * mm, y, 110 * mm, 8 * mm)
        form_api.textfield(name=f"veld{index}", x=70 * mm + 1, y=y + 1, width=110 * mm - 2, height=8 * mm - 2,
                           borderWidth=0, fillColor=colors.white, value="")
        y -= 12 * mm
    pdf.setFont("Helvetica-Bold", 11)
    pdf.drawString(20 * mm, y, "Soort vergunning")
    y -= 9 * mm
    for index, choice in enumerate(["Bewonersvergunning", "Bezoekersvergunning", "Mantelzorgvergunning"]):
        pdf.rect(20 * mm, y - 1, 10, 10)
        form_api.checkbox(name=f"soort{index}", x=20 * mm, y=y - 1, size=10, buttonStyle="check")
        pdf.setFont("Helvetica", 10)
        pdf.drawString(26 * mm, y, choice)
        y -= 7 * mm
    y -= 6 * mm
    pdf.rect(20 * mm, y - 30 * mm, 160 * mm, 30 * mm)
    pdf.drawString(22 * mm, y - 5 * mm, "Handtekening aanvrager")
    pdf.drawString(120 * mm, y - 5 * mm, "Datum")
    pdf.setFont("Helvetica", 7)
    pdf.drawString(20 * mm, 15 * mm, "Formulier PV-01, versie maart 2014. Uw gegevens worden alleen gebruikt voor "
                                     "het verlenen van de vergunning.")
    pdf.save()
    return path


# ---------------------------------------------------------------- slides


SLIDES = [
    ("Jeugdhulp in de regio", ["Van jeugdzorg naar jeugdhulp: de gemeente aan zet vanaf 2015",
                               "Transitie en transformatie", "Wat betekent dit voor u als professional?"]),
    ("De transitie in cijfers", ["12 gemeenten, één regionaal inkoopkader", "4.300 jeugdigen met jeugdhulp",
                                 "Budget 2015: 62 miljoen euro", "Korting van 10% ten opzichte van 2014"]),
    ("Wijkteams", ["Eén gezin, één plan, één regisseur", "Generalisten met specialistische achtervang",
                   "Laagdrempelig en dichtbij", "Samenwerking met onderwijs en huisartsen"]),
    ("Planning", ["Januari: inkoop afgerond", "Maart: wijkteams starten", "Juni: eerste evaluatie",
                  "December: jaarverslag aan de raad"]),
]


def slides(path: Path) -> Path:
    """Four landscape slides: a coloured title bar, a big title, bullets, a footer with the slide number."""
    size = landscape(A4)
    pdf = canvas.Canvas(str(path), pagesize=size)
    pdf.setTitle("Jeugdhulp in de regio")
    w, h = size
    for number, (title, bullets) in enumerate(SLIDES, start=1):
        pdf.setFillColor(colors.HexColor("#1f4e79"))
        pdf.rect(0, h - 40 * mm, w, 40 * mm, stroke=0, fill=1)
        pdf.setFillColor(colors.white)
        pdf.setFont("Helvetica-Bold", 36)
        pdf.drawString(20 * mm, h - 27 * mm, title)
        pdf.setFillColor(colors.black)
        y = h - 65 * mm
        for bullet in bullets:
            pdf.setFont("Helvetica", 22)
            pdf.circle(24 * mm, y + 2.5 * mm, 1.5 * mm, stroke=0, fill=1)
            pdf.drawString(30 * mm, y, bullet)
            y -= 16 * mm
        pdf.setFont("Helvetica", 10)
        pdf.drawString(20 * mm, 10 * mm, "Regionale bijeenkomst jeugdhulp, 14 november 2014")
        pdf.drawRightString(w - 20 * mm, 10 * mm, str(number))
        pdf.showPage()
    pdf.save()
    return path


# ---------------------------------------------------------------- article


ARTICLE = [
    "Inspecties kijken mee bij de zorg voor kwetsbare kinderen",
    "Wanneer een kind opgroeit in een gezin waar het niet goed gaat, kijken vaak meerdere organisaties mee: de "
    "school, het consultatiebureau, de huisarts en soms de politie. Die organisaties werken lang niet altijd goed "
    "samen. Dat blijkt uit gesprekken die dit blad voerde met medewerkers en ouders.",
    "Een moeder uit het oosten van het land vertelt dat zij in één jaar met elf hulpverleners te maken kreeg. "
    "Iedereen stelde dezelfde vragen, niemand wist wat de ander deed. Pas toen één vaste contactpersoon de regie "
    "nam, kwam er rust in het gezin.",
    "Volgens een woordvoerder van de inspecties is dat precies waar het toezicht op let: is er een plan, is er "
    "iemand die het overzicht houdt, en wordt er niet te snel losgelaten? De inspecties bezoeken daarvoor "
    "gemeenten en praten met de betrokken instellingen.",
    "Gemeenten zijn sinds 2015 verantwoordelijk voor vrijwel alle hulp aan jeugdigen. Dat biedt kansen, zeggen "
    "deskundigen, omdat hulp dichter bij huis georganiseerd kan worden. Maar het vraagt ook veel van de kleinere "
    "gemeenten, die niet altijd de kennis in huis hebben.",
]


def article(path: Path) -> Path:
    """A two-page magazine article in three columns, with a headline across the page and a pull quote."""
    base, body = _styles()
    doc = BaseDocTemplate(str(path), pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm, topMargin=15 * mm,
                          bottomMargin=15 * mm, title="Magazine Zorg en Welzijn")
    gap, columns = 5 * mm, 3
    column_width = (doc.width - gap * (columns - 1)) / columns
    head = Frame(doc.leftMargin, doc.bottomMargin + doc.height - 30 * mm, doc.width, 30 * mm, id="head")
    first = [head] + [Frame(doc.leftMargin + i * (column_width + gap), doc.bottomMargin, column_width,
                            doc.height - 32 * mm, id=f"c{i}") for i in range(columns)]
    later = [Frame(doc.leftMargin + i * (column_width + gap), doc.bottomMargin, column_width, doc.height,
                   id=f"l{i}") for i in range(columns)]

    def folio(pdf, document):
        pdf.setFont("Helvetica", 8)
        pdf.drawString(15 * mm, 8 * mm, f"Zorg en Welzijn Magazine  |  nummer 6, 2014  |  {document.page}")

    doc.addPageTemplates([PageTemplate("first", first, onPage=folio, autoNextPageTemplate="later"),
                          PageTemplate("later", later, onPage=folio)])
    headline = ParagraphStyle("headline", parent=base["Title"], fontName="Helvetica-Bold", fontSize=24,
                              leading=28, alignment=0)
    quote = ParagraphStyle("quote", parent=body, fontName="Helvetica-BoldOblique", fontSize=13, leading=16,
                           textColor=colors.HexColor("#7f1f1f"), spaceBefore=6, spaceAfter=6)
    story = [Paragraph(ARTICLE[0], headline), FrameBreak()]
    paragraphs = list(ARTICLE[1:])
    rng = random.Random(3)
    for round_ in range(5):
        for index, text in enumerate(paragraphs):
            story.append(Paragraph(text, body))
            story.append(Spacer(1, 4))
            if round_ == 1 and index == 1:
                story.append(Paragraph("“Pas toen één vaste contactpersoon de regie nam, kwam er rust.”", quote))
        rng.shuffle(paragraphs)
    doc.build(story)
    return path


# ---------------------------------------------------------------- a scanned letter


LETTER = [
    "Gemeente Zuidwolde", "Afdeling Publiekszaken", "Postbus 120, 7900 AC Zuidwolde", "",
    "Aan de heer J. de Vries", "Kerkstraat 14", "7901 AB Zuidwolde", "",
    "Datum: 3 maart 2014", "Onderwerp: uw aanvraag omgevingsvergunning", "",
    "Geachte heer De Vries,", "",
    "Op 12 februari 2014 hebben wij uw aanvraag voor een omgevingsvergunning",
    "ontvangen voor het plaatsen van een dakkapel op het perceel Kerkstraat 14.",
    "Wij hebben uw aanvraag getoetst aan het bestemmingsplan en de redelijke",
    "eisen van welstand. Het plan voldoet aan deze eisen.",
    "",
    "Wij verlenen u daarom de gevraagde vergunning. De vergunning en de",
    "bijbehorende tekeningen vindt u als bijlage bij deze brief. Houd er",
    "rekening mee dat de vergunning pas in werking treedt nadat de termijn",
    "voor bezwaar is verstreken.",
    "",
    "Heeft u vragen over deze brief? Bel dan met de afdeling Publiekszaken.",
    "",
    "Met vriendelijke groet,", "", "", "namens burgemeester en wethouders,", "de teamleider Vergunningen",
]


def letter_image(dpi: int = 200, seed: int = 5, skew: float = 0.8):
    """The letter as a scanned page: black type on slightly grey paper, speckle noise, a small rotation."""
    import numpy as np
    from PIL import Image, ImageDraw, ImageFilter, ImageFont

    width, height = int(8.27 * dpi), int(11.69 * dpi)
    page = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(page)
    font_file = Path(__import__("reportlab").__file__).parent / "fonts" / "Vera.ttf"
    font = ImageFont.truetype(str(font_file), size=int(11 / 72 * dpi))
    bold = ImageFont.truetype(str(font_file.with_name("VeraBd.ttf")), size=int(14 / 72 * dpi))
    x, y = int(25 / 25.4 * dpi), int(25 / 25.4 * dpi)
    draw.text((x, y), "GEMEENTE ZUIDWOLDE", font=bold, fill=0)
    y += int(0.45 * dpi)
    for line in LETTER:
        draw.text((x, y), line, font=font, fill=0)
        y += int(16 / 72 * dpi)
    page = page.rotate(skew, resample=Image.BILINEAR, fillcolor=255).filter(ImageFilter.GaussianBlur(0.6))
    rng = np.random.default_rng(seed)
    pixels = np.asarray(page, dtype=np.float32) * 0.93 + 8
    pixels += rng.normal(0, 9, pixels.shape)
    specks = rng.random(pixels.shape) < 0.0006
    pixels[specks] = 40
    return Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))


def letter_scan(path: Path) -> Path:
    """An image-only page (as a scanner writes it): the letter at 200 dpi, JPEG, covering the whole page."""
    image = letter_image()
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=80)
    buffer.seek(0)
    pdf = canvas.Canvas(str(path), pagesize=A4)
    pdf.drawImage(ImageReader(buffer), 0, 0, WIDTH, HEIGHT)
    pdf.save()
    return path


# ---------------------------------------------------------------- invoice


def invoice(path: Path) -> Path:
    """An invoice: sender, address block, a ruled table of items with amounts, subtotal, VAT and total."""
    base, body = _styles()
    doc = SimpleDocTemplate(str(path), pagesize=A4, title="Factuur 2014-0187")
    items = [("Advies inrichting wijkteams", "24", "95,00"), ("Training gespreksvoering", "2", "1.250,00"),
             ("Reiskosten", "310", "0,19"), ("Rapportage en presentatie", "8", "95,00"),
             ("Licentie registratiesysteem (jaar)", "1", "2.400,00")]
    rows = [["Omschrijving", "Aantal", "Prijs (EUR)", "Bedrag (EUR)"]]
    total = 0.0
    for what, count, price in items:
        amount = float(count) * float(price.replace(".", "").replace(",", "."))
        total += amount
        rows.append([what, count, price, f"{amount:,.2f}".replace(",", "X").replace(".", ",").replace("X", ".")])

    def money(value: float) -> str:
        return f"{value:,.2f}".replace(",", "X").replace(".", ",").replace("X", ".")

    rows += [["", "", "Subtotaal", money(total)], ["", "", "BTW 21%", money(total * 0.21)],
             ["", "", "Totaal", money(total * 1.21)]]
    table = Table(rows, colWidths=[80 * mm, 20 * mm, 30 * mm, 30 * mm])
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -4), 0.5, colors.black),
                               ("LINEABOVE", (2, -3), (-1, -3), 1, colors.black),
                               ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#dddddd")),
                               ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold"),
                               ("FONTNAME", (2, -1), (-1, -1), "Helvetica-Bold"),
                               ("ALIGN", (1, 0), (-1, -1), "RIGHT")]))
    story = [Paragraph("<b>Adviesbureau Vanderveen &amp; Partners</b>", base["Title"]),
             Paragraph("Stationsweg 8, 3811 MA Amersfoort — KvK 12345678 — BTW NL001234567B01", body),
             Spacer(1, 12),
             Paragraph("Gemeente Oosterwolde<br/>t.a.v. afdeling Sociaal Domein<br/>Postbus 44<br/>"
                       "8430 AA Oosterwolde", body), Spacer(1, 12),
             Paragraph("<b>FACTUUR</b>", base["Heading2"]),
             Paragraph("Factuurnummer: 2014-0187<br/>Factuurdatum: 30 september 2014<br/>"
                       "Uw referentie: inkooporder 2014/552", body), Spacer(1, 12), table, Spacer(1, 18),
             Paragraph("Wij verzoeken u het totaalbedrag binnen 30 dagen over te maken op rekening "
                       "NL91 ABNA 0417 1643 00 onder vermelding van het factuurnummer.", body)]
    doc.build(story)
    return path


# ---------------------------------------------------------------- a municipal newsletter


NEWS = [
    ("Inspecties: zorg voor kwetsbare gezinnen goed op weg",
     "Samenwerkend Toezicht Jeugd (STJ), waarin vijf rijksinspecties samenwerken, heeft in 2013 onderzocht hoe "
     "onze gemeente de zorg en ondersteuning regelt voor gezinnen met geringe sociale redzaamheid: gezinnen met "
     "problemen op vier of meer leefgebieden tegelijk. De uitkomsten van het toezichtonderzoek zijn positief. "
     "Volgens de inspecties is de aanpak planmatig en staat het gezin centraal. Wel kan de samenwerking met de "
     "scholen beter. Wethouder Bakker: “We gaan de verbeterpunten dit jaar oppakken.” De volledige uitkomsten "
     "staan op de website van de gemeente."),
    ("Nieuw jongerencentrum aan de Dorpsstraat",
     "Na twee jaar verbouwen gaat op 1 mei het nieuwe jongerencentrum open. Jongeren uit de gemeente hebben "
     "meegedacht over de inrichting: er is een studio, een sportzaal en een rustige ruimte om huiswerk te maken. "
     "Het centrum is elke middag en op vrijdag- en zaterdagavond open."),
    ("Jeugd en gezin: één loket",
     "Vanaf 1 januari 2015 kunt u met al uw vragen over opvoeden, opgroeien en jeugdhulp terecht bij het Centrum "
     "voor Jeugd en Gezin. " + LOREM),
    ("Afvalkalender 2014",
     "De nieuwe afvalkalender valt deze week bij u in de bus. Let op: het oud papier wordt voortaan op woensdag "
     "opgehaald in plaats van op dinsdag."),
    ("Raadsvergadering",
     "De gemeenteraad vergadert op donderdag 20 maart om 19.30 uur in het gemeentehuis. Op de agenda staan onder "
     "meer het beleidsplan jeugd en de verordening maatschappelijke ondersteuning. De vergadering is openbaar."),
]


def newsletter(path: Path) -> Path:
    """Two pages of "Gemeentenieuws": a masthead, news items in two columns; the first item reports an STJ
    inspection of the care for families with low social self-reliance, in the series' own words."""
    base, body = _styles()
    doc = BaseDocTemplate(str(path), pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=15 * mm,
                          bottomMargin=15 * mm, title="Gemeentenieuws Oosterwolde")
    gap = 6 * mm
    column = (doc.width - gap) / 2
    masthead = Frame(doc.leftMargin, doc.bottomMargin + doc.height - 35 * mm, doc.width, 35 * mm, id="mast")
    frames = [masthead] + [Frame(doc.leftMargin + i * (column + gap), doc.bottomMargin, column,
                                 doc.height - 37 * mm, id=f"c{i}") for i in range(2)]
    frames_later = [Frame(doc.leftMargin + i * (column + gap), doc.bottomMargin, column, doc.height, id=f"n{i}")
                    for i in range(2)]
    doc.addPageTemplates([PageTemplate("first", frames, autoNextPageTemplate="later"),
                          PageTemplate("later", frames_later)])
    mast = ParagraphStyle("mast", parent=base["Title"], fontName="Helvetica-Bold", fontSize=30, leading=34,
                          alignment=0, textColor=colors.HexColor("#006837"))
    head = ParagraphStyle("head", parent=base["Heading3"], fontName="Helvetica-Bold", fontSize=13, leading=16)
    story = [Paragraph("Gemeentenieuws", mast),
             Paragraph("Informatie van de gemeente Oosterwolde — week 11, maart 2014", body), FrameBreak()]
    for round_ in range(2):
        for title, text in NEWS:
            story += [Paragraph(title if not round_ else f"{title} (vervolg)", head), Paragraph(text, body),
                      Spacer(1, 6)]
    doc.build(story)
    return path


# ---------------------------------------------------------------- a school inspection report


def school(path: Path) -> Path:
    """A (made-up) report of the Inspectorate of Education on a primary school, titled "Uitkomsten
    toezichtonderzoek", with a table of standards and judgements: the series' title words, another series."""
    base, body = _styles()
    doc = SimpleDocTemplate(str(path), pagesize=A4, title="Rapport toezichtonderzoek basisschool De Regenboog")
    title = ParagraphStyle("t", parent=base["Title"], fontName="Helvetica-Bold", fontSize=20, alignment=0)
    rows = [["Standaard", "Oordeel"], ["OP1 Aanbod", "Voldoende"], ["OP2 Zicht op ontwikkeling", "Onvoldoende"],
            ["OP3 Didactisch handelen", "Voldoende"], ["SK1 Veiligheid", "Goed"], ["OR1 Resultaten", "Voldoende"],
            ["KA1 Kwaliteitszorg", "Onvoldoende"]]
    table = Table(rows, colWidths=[90 * mm, 40 * mm])
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                               ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold")]))
    story = [Paragraph("Inspectie van het Onderwijs", body), Spacer(1, 10),
             Paragraph("Uitkomsten toezichtonderzoek", title), Paragraph("Basisschool De Regenboog", base["Heading2"]),
             Paragraph("Oktober 2014", body), Spacer(1, 12),
             Paragraph("De inspectie heeft op 7 oktober 2014 een toezichtonderzoek uitgevoerd op basisschool De "
                       "Regenboog. Aanleiding was de dalende lijn in de eindresultaten van de afgelopen drie "
                       "jaar. In dit rapport leest u wat wij hebben onderzocht, wat goed gaat en wat beter moet.",
                       body), Spacer(1, 10), table, Spacer(1, 10),
             Paragraph("Wat gaat goed? De leerlingen voelen zich veilig en het schoolklimaat is prettig. "
                       "Wat moet beter? De school volgt de ontwikkeling van de leerlingen onvoldoende en "
                       "stemt het onderwijs daar te weinig op af. Het bestuur moet deze tekortkomingen binnen "
                       "een jaar herstellen.", body)]
    doc.build(story)
    return path


# ---------------------------------------------------------------- a long book


BOOK_LINES = 46  # lines of text on a page of the book


def book(path: Path, pages: int = 400, seed: int = 11, lines: int = BOOK_LINES) -> Path:
    """A long book (default 400 pages) on municipal youth policy: a title page, then pages of ``lines`` lines of
    running text drawn from LOREM and ARTICLE with a running head and a folio. Typeset straight on the canvas (a
    400-page book takes about two seconds); not one of ``MAKERS``: it is for measuring what a long unrelated file
    costs."""
    rng = random.Random(seed)
    words = " ".join([LOREM] + ARTICLE[1:]).split()
    pdf = canvas.Canvas(str(path), pagesize=A4)
    pdf.setTitle("Opgroeien in de gemeente")
    pdf.setFont("Helvetica-Bold", 28)
    pdf.drawString(25 * mm, HEIGHT - 80 * mm, "Opgroeien in de gemeente")
    pdf.setFont("Helvetica", 14)
    pdf.drawString(25 * mm, HEIGHT - 92 * mm, "Veertig jaar jeugdbeleid in Nederland")
    pdf.showPage()
    for number in range(2, pages + 1):
        pdf.setFont("Helvetica-Oblique", 8)
        pdf.drawString(25 * mm, HEIGHT - 15 * mm, f"Opgroeien in de gemeente  —  hoofdstuk {number // 20 + 1}")
        text = pdf.beginText(25 * mm, HEIGHT - 25 * mm)
        text.setFont("Times-Roman", 10.5)
        text.setLeading(13.5)
        for _ in range(lines):
            start = rng.randrange(len(words) - 14)
            text.textLine(" ".join(words[start:start + 14]))
        pdf.drawText(text)
        pdf.setFont("Helvetica", 8)
        pdf.drawCentredString(WIDTH / 2, 12 * mm, str(number))
        pdf.showPage()
    pdf.save()
    return path


MAKERS = {"form": form, "slides": slides, "article": article, "letter_scan": letter_scan, "invoice": invoice,
          "newsletter": newsletter, "school": school}


def make_all(folder: Path) -> dict[str, Path]:
    """Every foreign document, written into ``folder`` as ``<name>.pdf``."""
    folder.mkdir(parents=True, exist_ok=True)
    return {name: make(folder / f"{name}.pdf") for name, make in MAKERS.items()}
