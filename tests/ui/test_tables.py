"""The shared table over RowsModel/RowsProxy: sortable by its headers, or kept in the rows' own order."""

from __future__ import annotations

from enum import StrEnum

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


def _sorted_by(values: list[object], order: Qt.SortOrder) -> list[object]:
    model: RowsModel[object] = RowsModel([Column("Value", str, sort=lambda r: r)])
    model.set_rows(values)
    proxy = RowsProxy(model)
    proxy.sort(0, order)
    return [proxy.row(i) for i in range(proxy.rowCount())]


def test_a_column_of_one_type_sorts_as_the_general_keys_do(qapp) -> None:
    # Names sort without regard to case, ties keep the rows' own order in both directions, and a
    # column with empty values or numbers of two types still sorts (None first), as it did row by row.
    names = ["bob", "Anna", "anna", "Bob", "chloé"]
    assert _sorted_by(names, Qt.SortOrder.AscendingOrder) == ["Anna", "anna", "bob", "Bob", "chloé"]
    assert _sorted_by(names, Qt.SortOrder.DescendingOrder) == ["chloé", "bob", "Bob", "Anna", "anna"]
    assert _sorted_by([30, 5, 12], Qt.SortOrder.DescendingOrder) == [30, 12, 5]
    assert _sorted_by([3, None, 1, 2.5], Qt.SortOrder.AscendingOrder) == [None, 1, 2.5, 3]
    assert _sorted_by(["b", None, "A"], Qt.SortOrder.DescendingOrder) == ["b", "A", None]
    assert _sorted_by([Word.BETA, Word.ALPHA], Qt.SortOrder.AscendingOrder) == [Word.ALPHA, Word.BETA]


class Word(StrEnum):
    ALPHA = "alpha"
    BETA = "Beta"  # before "alpha" if case counted
