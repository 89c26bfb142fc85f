"""The order the OOXML schema requires of a worksheet's elements, for tests of every workbook."""

from __future__ import annotations

from xml.etree import ElementTree

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"

# CT_Worksheet's sequence (ECMA-376 Part 1, 18.3.1.99): every child is optional but must come
# in this order.
CT_WORKSHEET = [
    "sheetPr",
    "dimension",
    "sheetViews",
    "sheetFormatPr",
    "cols",
    "sheetData",
    "sheetCalcPr",
    "sheetProtection",
    "protectedRanges",
    "scenarios",
    "autoFilter",
    "sortState",
    "dataConsolidate",
    "customSheetViews",
    "mergeCells",
    "phoneticPr",
    "conditionalFormatting",
    "dataValidations",
    "hyperlinks",
    "printOptions",
    "pageMargins",
    "pageSetup",
    "headerFooter",
    "rowBreaks",
    "colBreaks",
    "customProperties",
    "cellWatches",
    "ignoredErrors",
    "smartTags",
    "drawing",
    "legacyDrawing",
    "legacyDrawingHF",
    "drawingHF",
    "picture",
    "oleObjects",
    "controls",
    "webPublishItems",
    "tableParts",
    "extLst",
]
# CT_SheetPr's sequence: tabColor, outlinePr, pageSetUpPr.
CT_SHEET_PR = ["tabColor", "outlinePr", "pageSetUpPr"]


def assert_schema_order(sheet_xml: bytes) -> list[str]:
    """Check a worksheet's children against CT_Worksheet's sequence; return their names."""
    root = ElementTree.fromstring(sheet_xml)
    tags = [child.tag.removeprefix(MAIN) for child in root]
    assert all(tag in CT_WORKSHEET for tag in tags), tags
    assert len(set(tags)) == len(tags), tags
    assert tags == sorted(tags, key=CT_WORKSHEET.index), tags
    sheet_pr = root.find(f"{MAIN}sheetPr")
    if sheet_pr is not None:
        inner = [child.tag.removeprefix(MAIN) for child in sheet_pr]
        assert inner == sorted(inner, key=CT_SHEET_PR.index), inner
    return tags
