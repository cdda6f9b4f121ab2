"""Receipts: a small workbook for every processed file, in the pair's language, for the
coordinator to email back to whoever sent it.

A receipt says what became of the file (accepted, already received, or not accepted), how many
values were read and taken from each sheet, and every finding with its sheet, cell, what is
wrong and how to fix it. A file whose pair is unknown gets its receipt in the programme's
default language. Receipts are written to ``outbox/receipts/`` under a name made from the
file's SHA-256 and name, so the same file always gives the same receipt name.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

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

    def __call__(self, outcome: Any, keep_existing: bool = False) -> Path | None:
        """Write the receipt of ``outcome`` (a ``sync.run.FileOutcome``); with
        ``keep_existing``, only when it has none yet (a file an interrupted sync recorded)."""
        path = self.target / receipt_name(outcome.sha256, outcome.name)
        if keep_existing and path.is_file():
            return None
        lang = outcome.language or self.programme.default_language
        data = strict(lambda: _render(outcome, lang, self.titles, self.order), "a receipt")
        write_atomic(path, data)
        self.written.append(path)
        return path


def receipt_name(sha256: str, file_name: str) -> str:
    """The receipt's file name: deterministic for a given file."""
    stem = re.sub(r"[^\w.-]+", "_", file_name.rsplit(".", 1)[0], flags=re.UNICODE)[:60]
    return f"receipt_{sha256[:12]}_{stem.strip('_.') or 'file'}.xlsx"


def _render(outcome: Any, lang: str, titles: dict[str, Any], order: list[str]) -> bytes:
    received = dt.datetime.fromisoformat(outcome.saved_at) if outcome.saved_at else None
    book = Book(received or dt.datetime(2000, 1, 1), title=_T["title"][lang])
    ws = book.wb.add_worksheet(clip(_T["title"][lang], 31))
    ws.set_column(0, 0, 22)
    ws.set_column(1, 1, 14)
    ws.set_column(2, 3, 18)
    ws.set_column(4, 4, 22)
    ws.set_column(5, 6, 50)
    ws.write_string(0, 0, _T["title"][lang], book.fmt["title"])
    facts = [
        ("file", outcome.name),
        (
            "pair",
            f"{outcome.pair_id or '?'}" + (f" (r{outcome.revision})" if outcome.revision else ""),
        ),
        ("result", _T[_result(outcome)][lang]),
    ]
    row = 2
    for key, value in facts:
        ws.write_string(row, 0, _T[key][lang], book.fmt["label"])
        ws.merge_range(row, 1, row, 4, value, book.fmt["value"])
        row += 1
    row += 1
    # The sheets in workbook order, each that held or changed something.
    shown_sheets = [c for c in order if c in outcome.read_by_sheet or c in outcome.applied_by_sheet]
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
    shown = [
        f for f in outcome.findings if f.severity.value != "info" or outcome.status != "accepted"
    ]
    if not shown:
        ws.write_string(row, 0, _T["none"][lang])
    else:
        for c, key in enumerate(("sheet", "cell", "column", "value", "code", "problem", "todo")):
            ws.write_string(row, c, _T[key][lang], book.fmt["header"])
        for f in shown:
            row += 1
            todo = f.pair_todo_in(lang)
            cells = [f.sheet, f.cell, f.column, f.value, f.code, f.text_in(lang), todo]
            for c, text in enumerate(cells):
                ws.write_string(row, c, clip(str(text), 32_000), book.fmt["wrap"])
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
