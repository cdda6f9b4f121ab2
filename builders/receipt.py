"""Receipts: a small workbook for every processed file, in the pair's language, for the
coordinator to email back to whoever sent it.

A receipt says what became of the file (accepted, already received, or not accepted), how many
values were read and taken from each sheet, and every finding with its sheet, cell, what is
wrong and how to fix it. A file whose pair is unknown gets its receipt in the programme's
default language. Receipts are written to ``outbox/receipts/`` under a name made from the
file's SHA-256 and name, so the same file always gives the same receipt name.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from pathlib import Path
from typing import Any

from builders.template import MARK, Template, escape, number, plain
from builders.xlsx import Book, clip, strict, write_atomic
from toolkit.contract import load_contract
from toolkit.framework import framework_for
from toolkit.programme import ProgrammeFolder, load_programme
from toolkit.text import tr

RECEIPTS_FOLDER = "receipts"

_T: dict[str, dict[str, str]] = {
    "title": {"en": "Receipt for your workbook", "fr": "Accusé de réception de votre classeur",
              "es": "Acuse de recibo de su libro", "pt": "Recibo da sua pasta de trabalho"},
    "file": {"en": "File", "fr": "Fichier", "es": "Archivo", "pt": "Ficheiro"},
    "pair": {"en": "Pair code", "fr": "Code du binôme", "es": "Código de la pareja",
             "pt": "Código do par"},
    "result": {"en": "Result", "fr": "Résultat", "es": "Resultado", "pt": "Resultado"},
    "accepted": {"en": "Accepted: thank you.", "fr": "Accepté : merci.",
                 "es": "Aceptado: gracias.", "pt": "Aceite: obrigado."},
    "duplicate": {"en": "Already received earlier: nothing changed.",
                  "fr": "Déjà reçu : rien n'a changé.", "es": "Ya recibido: nada cambió.",
                  "pt": "Já recebido: nada mudou."},
    "quarantined": {"en": "Not accepted: please see below and send it again.",
                    "fr": "Non accepté : voir ci-dessous et le renvoyer.",
                    "es": "No aceptado: vea abajo y envíelo de nuevo.",
                    "pt": "Não aceite: veja abaixo e envie-o de novo."},
    "held": {"en": "Received: waiting for the coordinator to confirm who sent it.",
             "fr": "Reçu : en attente de la confirmation de l'expéditeur par le coordinateur.",
             "es": "Recibido: a la espera de que el coordinador confirme quién lo envió.",
             "pt": "Recebido: à espera de que o coordenador confirme quem o enviou."},
    "sheet": {"en": "Sheet", "fr": "Feuille", "es": "Hoja", "pt": "Folha"},
    "read": {"en": "Values read", "fr": "Valeurs lues", "es": "Valores leídos",
             "pt": "Valores lidos"},
    "taken": {"en": "New or changed", "fr": "Nouvelles ou modifiées", "es": "Nuevos o cambiados",
              "pt": "Novos ou alterados"},
    "findings": {"en": "What to check", "fr": "À vérifier", "es": "Qué revisar",
                 "pt": "O que verificar"},
    "none": {"en": "Nothing to check.", "fr": "Rien à vérifier.", "es": "Nada que revisar.",
             "pt": "Nada a verificar."},
    "cell": {"en": "Cell", "fr": "Cellule", "es": "Celda", "pt": "Célula"},
    "column": {"en": "Column", "fr": "Colonne", "es": "Columna", "pt": "Coluna"},
    "value": {"en": "Value", "fr": "Valeur", "es": "Valor", "pt": "Valor"},
    "problem": {"en": "Problem", "fr": "Problème", "es": "Problema", "pt": "Problema"},
    "todo": {"en": "What to do", "fr": "Que faire", "es": "Qué hacer", "pt": "O que fazer"},
    "code": {"en": "Code", "fr": "Code", "es": "Código", "pt": "Código"},
}  # fmt: skip


def write_receipts(root: Path, result: Any) -> list[Path]:
    """Write one receipt per processed file of a sync result (``sync.run.SyncResult``) into
    ``outbox/receipts/``; nothing for a dry run. Returns the receipts written. (``sync``
    writes each receipt as it takes the file in, with a :class:`ReceiptWriter`; this is for
    a result obtained without one.)"""
    if result.dry_run:
        return []
    writer = ReceiptWriter(root)
    for outcome in result.files:
        writer(outcome, keep_existing=not outcome.recorded)
    return writer.written


class ReceiptWriter:
    """Writes the receipt of one file at a time, as sync takes it in: passed to
    ``sync_programme(receipts=...)``, it writes each receipt before the file is recorded and
    leaves the inbox, so a sync killed at any point leaves no file without its receipt."""

    def __init__(self, root: Path) -> None:
        folder = ProgrammeFolder(root)
        self.programme = load_programme(folder.config)
        contract = load_contract(framework_for(folder.root, self.programme))
        self.titles = {tool.code: tool.title for tool in contract.tools}
        self.order = [tool.code for tool in contract.tools]
        self.target = folder.outbox / RECEIPTS_FOLDER
        self.written: list[Path] = []
        """The receipts written so far, in order."""
        self._shapes: dict[tuple[object, ...], _Shape] = {}

    def __call__(self, outcome: Any, keep_existing: bool = False) -> Path | None:
        """Write the receipt of ``outcome`` (a ``sync.run.FileOutcome``); with
        ``keep_existing``, only when it has none yet (a file an interrupted sync recorded)."""
        path = self.target / receipt_name(outcome.sha256, outcome.name)
        if keep_existing and path.is_file():
            return None
        lang = outcome.language or self.programme.default_language
        write_atomic(path, self._receipt(outcome, lang))
        self.written.append(path)
        return path

    def _receipt(self, outcome: Any, lang: str) -> bytes:
        """The receipt's bytes: filled into its shape's template when it can be the same
        file, drawn in full otherwise (see :class:`_Shape`)."""
        rows = _finding_rows(outcome, lang)
        key, texts = _shape(outcome, lang, self.order, rows)
        shape = self._shapes.get(key)
        if shape is None:
            template = _placeholders(outcome, self.order)
            tokens = [[_token(texts.index(t)) if t else "" for t in cells] for cells in rows]
            data = self._draw(template, lang, tokens)
            shape = self._shapes[key] = _Shape(data, self.order, len(texts))
        if shape.fits(outcome, texts):
            return shape.fill(outcome, texts)
        return self._draw(outcome, lang, rows)

    def _draw(self, outcome: Any, lang: str, rows: list[list[str]]) -> bytes:
        return strict(lambda: _render(outcome, lang, self.titles, self.order, rows), "a receipt")


def receipt_name(sha256: str, file_name: str) -> str:
    """The receipt's file name: deterministic for a given file."""
    stem = re.sub(r"[^\w.-]+", "_", file_name.rsplit(".", 1)[0], flags=re.UNICODE)[:60]
    return f"receipt_{sha256[:12]}_{stem.strip('_.') or 'file'}.xlsx"


def _render(
    outcome: Any, lang: str, titles: dict[str, Any], order: list[str], rows: list[list[str]]
) -> bytes:
    """The receipt; ``rows`` are the cells of its findings (:func:`_finding_rows`)."""
    book = Book(_received(outcome.saved_at), title=_T["title"][lang])
    ws = book.wb.add_worksheet(clip(_T["title"][lang], 31))
    ws.set_column(0, 0, 22)
    ws.set_column(1, 1, 14)
    ws.set_column(2, 3, 18)
    ws.set_column(4, 4, 22)
    ws.set_column(5, 6, 50)
    ws.write_string(0, 0, _T["title"][lang], book.fmt["title"])
    facts = [
        ("file", outcome.name),
        ("pair", _pair_text(outcome.pair_id or "?", outcome.revision)),
        ("result", _T[_result(outcome)][lang]),
    ]
    row = 2
    for key, value in facts:
        ws.write_string(row, 0, _T[key][lang], book.fmt["label"])
        ws.merge_range(row, 1, row, 4, value, book.fmt["value"])
        row += 1
    row += 1
    # The sheets in workbook order, each that held or changed something.
    shown_sheets = _shown_sheets(outcome, order)
    if shown_sheets:
        for c, key in enumerate(("sheet", "read", "taken")):
            ws.write_string(row, c, _T[key][lang], book.fmt["header"])
        for code in shown_sheets:
            row += 1
            ws.write_string(row, 0, tr(titles[code], lang))
            ws.write_number(row, 1, outcome.read_by_sheet.get(code, 0))
            ws.write_number(row, 2, outcome.applied_by_sheet.get(code, 0))
        row += 2
    ws.write_string(row, 0, _T["findings"][lang], book.fmt["bold"])
    row += 1
    if not rows:
        ws.write_string(row, 0, _T["none"][lang])
    else:
        for c, key in enumerate(("sheet", "cell", "column", "value", "code", "problem", "todo")):
            ws.write_string(row, c, _T[key][lang], book.fmt["header"])
        for cells in rows:
            row += 1
            for c, text in enumerate(cells):
                ws.write_string(row, c, text, book.fmt["wrap"])
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    return book.close()


def _result(outcome: Any) -> str:
    """The key of the result line: a file held for the coordinator (IDN006) is not refused."""
    reason = outcome.reason
    return "held" if reason is not None and reason.code == "IDN006" else outcome.status


def receipt_label(key: str, lang: str) -> str:
    """A receipt's label (``pair``, ``result``, ``accepted``, ...) in ``lang``."""
    return _T[key][lang]


def _pair_text(pair_id: str, revision: int | None) -> str:
    return pair_id + (f" (r{revision})" if revision else "")


def _shown_sheets(outcome: Any, order: list[str]) -> list[str]:
    """The sheets in workbook order, each that held or changed something."""
    return [c for c in order if c in outcome.read_by_sheet or c in outcome.applied_by_sheet]


def _finding_rows(outcome: Any, lang: str) -> list[list[str]]:
    """The cells of each finding the sender reads (an accepted file's notes, of severity info,
    are the coordinator's): sheet, cell, column, value, code, problem, what to do."""
    accepted = outcome.status == "accepted"
    return [
        [clip(str(text), 32_000) for text in (f.sheet, f.cell, f.column, f.value, f.code,
                                              f.text_in(lang), f.pair_todo_in(lang))]
        for f in outcome.findings
        if f.severity.value != "info" or not accepted
    ]  # fmt: skip


# --- Receipts by shape ---------------------------------------------------------------------
# A sync writes a receipt for every file, and most say the same thing in the same words:
# accepted, nothing to check, so many values read and taken from such sheets; or already
# received as such a file. Drawing one costs XlsxWriter about 4 ms; each shape (language,
# result, revision, sheets shown, findings' codes and which of their texts are empty or the
# same) is drawn once with placeholders, and each receipt is that template with the file's
# name, pair code, counts, saved-at time and findings' texts put in (see builders.template:
# the same bytes as a full drawing).

_NAME = MARK + "file}}"
_PAIR = MARK + "pair}}"
_SAVED = dt.datetime(1999, 9, 9, 9, 9, 9)
"""The template's saved-at time, which no receipt has (a pair workbook is from 2025 or later)."""
_COUNT = 900_000_000
"""The template's counts are this and up: no file has that many values."""
_FILLED = ("xl/sharedStrings.xml", "docProps/core.xml", "xl/worksheets/sheet1.xml")


class _Shape:
    """One shape of receipt, drawn with placeholders."""

    def __init__(self, data: bytes, order: list[str], texts: int) -> None:
        tokens = [_NAME, _PAIR, *map(_token, range(texts))]
        self.template = Template(data, _FILLED, tokens)
        self.order = order

    def fits(self, outcome: Any, texts: list[str]) -> bool:
        """Whether the file's name, pair code and findings' texts can take the placeholders'
        places: each written as itself, new to the receipt and different from the others."""
        pair = outcome.pair_id or "?"
        new = [outcome.name, _pair_text(pair, outcome.revision), *texts]
        return (
            all(map(plain, [outcome.name, pair, *texts]))
            and not any(_iso(_SAVED) in t for t in new)  # replaced in every filled part
            and len(set(new)) == len(new)
            and all(map(self.template.is_new, new))
        )

    def fill(self, outcome: Any, texts: list[str]) -> bytes:
        """The receipt of ``outcome`` (one that :meth:`fits`)."""
        replace = {
            escape(_NAME): escape(outcome.name),
            escape(_PAIR): escape(outcome.pair_id or "?"),
            _iso(_SAVED).encode(): _iso(_received(outcome.saved_at)).encode(),
        }
        for i, (read, taken) in enumerate(_counts(outcome, self.order)):
            replace[number(_COUNT + 2 * i)] = number(read)
            replace[number(_COUNT + 2 * i + 1)] = number(taken)
        for i, text in enumerate(texts):
            replace[escape(_token(i))] = escape(text)
        return self.template.fill(replace)


def _shape(
    outcome: Any, lang: str, order: list[str], rows: list[list[str]]
) -> tuple[tuple[object, ...], list[str]]:
    """What a receipt shows but its placeholders, and the findings' distinct non-empty texts
    in the order they are written (each one placeholder)."""
    texts = list(dict.fromkeys(t for cells in rows for t in cells if t))
    pattern = tuple(tuple(texts.index(t) if t else -1 for t in cells) for cells in rows)
    codes = tuple(f.code for f in outcome.findings)
    sheets = tuple(_shown_sheets(outcome, order))
    return (lang, _result(outcome), outcome.status, outcome.revision, sheets, codes,
            pattern), texts  # fmt: skip


def _token(i: int) -> str:
    return f"{MARK}text{i}}}}}"


def _placeholders(outcome: Any, order: list[str]) -> Any:
    sheets = _shown_sheets(outcome, order)
    return dataclasses.replace(
        outcome, name=_NAME, pair_id=_PAIR, saved_at=_SAVED.isoformat(),
        read_by_sheet={c: _COUNT + 2 * i for i, c in enumerate(sheets)},
        applied_by_sheet={c: _COUNT + 2 * i + 1 for i, c in enumerate(sheets)},
    )  # fmt: skip


def _counts(outcome: Any, order: list[str]) -> list[tuple[int, int]]:
    """(values read, values taken) of each sheet shown, in the receipt's order."""
    return [
        (outcome.read_by_sheet.get(c, 0), outcome.applied_by_sheet.get(c, 0))
        for c in _shown_sheets(outcome, order)
    ]


def _received(saved_at: str) -> dt.datetime:
    """The receipt's document date: the file's saved-at time (as :func:`_render` takes it)."""
    return dt.datetime.fromisoformat(saved_at) if saved_at else dt.datetime(2000, 1, 1)


def _iso(moment: dt.datetime) -> str:
    """A document date as XlsxWriter writes it (builders.xlsx.Book drops the time zone)."""
    return moment.replace(tzinfo=None).strftime("%Y-%m-%dT%H:%M:%SZ")
