"""The shared table over RowsModel/RowsProxy: sortable by its headers, or kept in the rows' own order."""

from __future__ import annotations

from PySide6.QtCore import Qt

from consoleapp.ui import widgets
from consoleapp.ui.models import Column, RowsModel, RowsProxy


def _table(rows: list[str], sortable: bool) -> RowsProxy:
    model: RowsModel[str] = RowsModel([Column("Day", lambda r: r)])
    model.set_rows(rows)
    proxy = RowsProxy(model)
    widgets.table(proxy, sortable=sortable)
    return proxy


def shown(proxy: RowsProxy) -> list[str]:
    return [proxy.row(i) for i in range(proxy.rowCount())]


def test_an_unsortable_table_shows_the_rows_in_their_own_order(qapp) -> None:
    # Upcoming days and timelines are in time order; their first column's text ("Fri 4 Dec",
    # "Sat 5 Dec", "Today") must never reorder them, whatever day names a date happens to have.
    proxy = _table(["Fri 4 Dec", "Sat 5 Dec", "Mon 7 Dec"], sortable=False)
    assert shown(proxy) == ["Fri 4 Dec", "Sat 5 Dec", "Mon 7 Dec"]


def test_a_sortable_table_sorts_by_the_header_it_is_told(qapp) -> None:
    proxy = _table(["b", "c", "a"], sortable=True)
    proxy.sort(0, Qt.SortOrder.AscendingOrder)
    assert shown(proxy) == ["a", "b", "c"]
