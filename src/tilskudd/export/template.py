"""The empty applications workbook ``tilskudd init`` writes: a form officers fill in Excel.

Sheets: the applications sheet (the known columns with headers tilskudd recognises, number
formats, drop-down lists), an instructions sheet, an editable list of categories, and the
municipality register the drop-downs offer. A cell for participating municipalities may name
several (``0301 Oslo, 0219 Bærum``), which a drop-down cannot hold: that column offers the list
and a help prompt but accepts any text; tilskudd checks it against the register when reading.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from tilskudd import clock
from tilskudd.currency import NOK, amounts_in
from tilskudd.export._sheetml import FORMULA_STARTS, safe_text
from tilskudd.export.atomic import atomic_path
from tilskudd.i18n import get
from tilskudd.models import Policy

__all__ = ["COLUMNS", "TEMPLATE_ROWS", "write_template"]

COLUMNS: tuple[tuple[str, str, str, int], ...] = (
    # (field, number format, kind, width); the header is the catalogue's template.header.<field>
    ("id", "@", "text", 14),
    ("applicant", "@", "text", 32),
    ("orgnr", "@", "orgnr", 18),
    ("project", "@", "text", 40),
    ("municipalities", "@", "municipalities", 36),
    ("county", "@", "county", 18),
    ("requested", "#,##0", "amount", 16),
    ("total_cost", "#,##0", "amount", 16),
    ("score", "0.0", "score", 10),
    ("category", "@", "category", 22),
)
"""The columns of the applications sheet, in order."""

TEMPLATE_ROWS = 500
"""How many rows below the header carry the formats and drop-downs."""

_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")


def _prompt(validation: DataValidation, title: str, text: str) -> None:
    # Excel limits an input prompt's title to 32 characters and its text to 255.
    validation.promptTitle = title[:32]
    validation.prompt = text[:255]
    validation.showInputMessage = True


def write_template(
    path: Path,
    *,
    lang: str = "nb",
    register: str = "2024",
    policy: Policy | None = None,
    categories: Sequence[str] | None = None,
    currency: str = NOK,
    year: int | None = None,
) -> None:
    """Write the applications template to ``path`` (atomically; the caller checks it is new).

    ``policy``: the programme's, when the template is made for one; the instructions then say
    its rules are in tilskudd.toml, without their figures, which would go stale there.
    ``currency``: the programme's, which the instructions and prompts ask the amounts in.
    ``year``: the year of the example application id (``2027-001``), the year of the rounds
    when the template is made for a programme; else the year a programme made today would
    plan its first round in (:func:`tilskudd.clock.first_round_year`).
    """
    if year is None:
        year = clock.first_round_year(clock.today())
    with amounts_in(currency):
        _write_template(path, lang, register, policy, categories, year)


def _write_template(
    path: Path,
    lang: str,
    register: str,
    policy: Policy | None,
    categories: Sequence[str] | None,
    year: int,
) -> None:
    from tilskudd.registry import get_register

    t = get(lang)
    places = get_register(register)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = t("template.sheet.applications")
    instructions = book.create_sheet(t("template.sheet.instructions"))
    category_sheet = book.create_sheet(t("template.sheet.categories"))
    place_sheet = book.create_sheet(t("template.sheet.municipalities"))

    # --- the lists the drop-downs offer ---
    category_sheet.append([t("template.header.category")])
    names = list(categories) if categories is not None else t("template.categories").split("|")
    for row, name in enumerate(names, start=2):
        # Categories may come from the officer's own list: made safe as in the award workbook,
        # and text stays text (openpyxl would store "=..." as a formula).
        cell = category_sheet.cell(row=row, column=1, value=safe_text(name.strip()))
        cell.data_type = "s"
        cell.quotePrefix = str(cell.value).startswith(FORMULA_STARTS)
    category_sheet.column_dimensions["A"].width = 36
    category_sheet["A1"].font = Font(bold=True)

    place_sheet.append(
        [
            t("template.header.municipality_choice"),
            t("template.header.municipality_number"),
            t("template.header.municipality_name"),
            t("template.header.municipality_county"),
            None,
            t("template.header.county_choice"),
        ]
    )
    municipalities = sorted(places.municipalities.values(), key=lambda m: m.number)
    counties = sorted(places.counties.values(), key=lambda c: c.number)
    # Each municipality's own county beside it; the list of counties for the county column
    # apart, after a blank column, so that no row reads as a municipality in another county.
    for i, muni in enumerate(municipalities):
        county = counties[i] if i < len(counties) else None
        place_sheet.append(
            [
                f"{muni.number} {muni.name}",
                muni.number,
                muni.name,
                f"{muni.county_number} {muni.county_name}",
                None,
                f"{county.number} {county.name}" if county else None,
            ]
        )
    for cell in place_sheet[1]:
        cell.font = Font(bold=True)
    for letter, width in zip("ABCDEF", (30, 14, 26, 26, 4, 26), strict=True):
        place_sheet.column_dimensions[letter].width = width
    place_sheet.freeze_panes = "A2"

    # --- the applications sheet ---
    last = TEMPLATE_ROWS + 1
    for index, (field, number_format, kind, width) in enumerate(COLUMNS, start=1):
        letter = get_column_letter(index)
        header = sheet.cell(row=1, column=index, value=t(f"template.header.{field}"))
        header.font = Font(bold=True)
        header.fill = _HEADER_FILL
        header.alignment = Alignment(vertical="top", wrap_text=True)
        sheet.column_dimensions[letter].width = width
        for row in range(2, last + 1):
            sheet.cell(row=row, column=index).number_format = number_format
        target = f"{letter}2:{letter}{last}"
        # Every column gets a help prompt; some also a check. Any value: a prompt only.
        validation = DataValidation(allow_blank=True)
        stop = False
        if kind == "amount":
            validation = DataValidation(
                type="whole", operator="greaterThan", formula1="0", allow_blank=True
            )
            validation.error = t("template.error.amount")
            stop = True
        elif kind == "score":
            validation = DataValidation(
                type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True
            )
            validation.error = t("template.error.score")
            stop = True
        elif kind == "category":
            end = len(names) + 40  # room for the officer to add categories to the list
            ref = f"'{category_sheet.title}'!$A$2:$A${end}"
            validation = DataValidation(type="list", formula1=f"={ref}", allow_blank=True)
            # A warning, not a stop: a new category is allowed after a second thought.
            validation.errorStyle = "warning"
            validation.error = t("template.error.category", sheet=category_sheet.title)
            stop = True
        elif kind == "municipalities":
            # Several municipalities in one cell are normal; the list helps, it does not limit.
            ref = f"'{place_sheet.title}'!$A$2:$A${len(municipalities) + 1}"
            validation = DataValidation(type="list", formula1=f"={ref}", allow_blank=True)
        elif kind == "county":
            ref = f"'{place_sheet.title}'!$F$2:$F${len(counties) + 1}"
            validation = DataValidation(type="list", formula1=f"={ref}", allow_blank=True)
        validation.showErrorMessage = stop
        if stop:
            validation.errorTitle = t(f"template.header.{field}")[:32]
        _prompt(
            validation,
            t(f"template.header.{field}"),
            t(
                f"template.prompt.{field}",
                municipalities=place_sheet.title,
                categories=category_sheet.title,
                year=str(year),
            ),
        )
        validation.add(target)
        sheet.add_data_validation(validation)
    sheet.freeze_panes = "A2"
    sheet.row_dimensions[1].height = 30

    # --- the instructions ---
    instructions.column_dimensions["A"].width = 110
    instructions.append([t("template.instructions.title")])
    instructions["A1"].font = Font(bold=True, size=14)
    lines = t(
        "template.instructions.body",
        sheet=sheet.title,
        categories=category_sheet.title,
        municipalities=place_sheet.title,
        register=register,
        year=str(year),
    ).splitlines()
    if policy is not None:
        # Where the rules are, not their figures: the officer edits tilskudd.toml after init
        # (a cap of 50 % made 20 %), and a figure copied here would then state the old one.
        lines.append("")
        lines.append(t("template.instructions.policy_file"))
    for line in lines:
        instructions.append([line])
        instructions.cell(row=instructions.max_row, column=1).alignment = Alignment(wrap_text=True)

    book.active = 0
    with atomic_path(path) as tmp:
        book.save(tmp)
