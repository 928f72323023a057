"""Table models for every list: fast with 100 000 rows.

`RowsModel` is a QAbstractTableModel over a Python list. Search and sort live in `RowsProxy`,
a proxy that keeps a list of source row numbers instead of asking Python for every row:
QSortFilterProxyModel calls back into Python once per row and comparison, which costs about
a second at 100 000 rows; here a filter is one list comprehension over precomputed lowercase
text and a sort is one `list.sort` on a key, a few milliseconds each.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractProxyModel,
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QFont

T = TypeVar("T")
Index = QModelIndex | QPersistentModelIndex
ROW_ROLE = Qt.ItemDataRole.UserRole + 1  # the row object itself
SORT_ROLE = Qt.ItemDataRole.UserRole + 2

_PENDING = QBrush(QColor("#8a6d00"))
_ITALIC = QFont()
_ITALIC.setItalic(True)


@dataclass(frozen=True)
class Column(Generic[T]):
    title: str
    text: Callable[[T], str]
    sort: Callable[[T], Any] | None = None  # defaults to the text
    align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
    tip: Callable[[T], str] | None = None
    width: int = 0  # a hint in pixels; 0 lets the view decide


def numeric(title: str, value: Callable[[T], int], text: Callable[[int], str] = str, width: int = 0) -> Column[T]:
    return Column(title, lambda r: text(value(r)), sort=value,
                  align=Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, width=width)


class RowsModel(QAbstractTableModel, Generic[T]):
    """Rows of one type shown through columns. `pending(row)` marks rows not yet on the server."""

    def __init__(self, columns: Sequence[Column[T]], pending: Callable[[T], bool] | None = None,
                 search_text: Callable[[T], str] | None = None, parent: Any = None) -> None:
        super().__init__(parent)
        self.columns = list(columns)
        self.rows: list[T] = []
        self._pending = pending
        self._search_text = search_text
        self._haystack: list[str] | None = None

    # --- data in ---------------------------------------------------------------------------------

    def set_rows(self, rows: Sequence[T]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self._haystack = None
        self.endResetModel()

    def row(self, i: int) -> T:
        return self.rows[i]

    def haystack(self) -> list[str]:
        """Lowercase text of each row, for search: computed once per `set_rows`."""
        if self._haystack is None:
            if self._search_text is not None:
                self._haystack = [self._search_text(r).lower() for r in self.rows]
            else:
                cols = self.columns
                self._haystack = ["\x1f".join(c.text(r) for c in cols).lower() for r in self.rows]
        return self._haystack

    # --- Qt --------------------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        r = self.rows[index.row()]
        col = self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return col.text(r)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(col.align.value)
        if role == Qt.ItemDataRole.ToolTipRole:
            if col.tip is not None:
                return col.tip(r)
            return None
        if role == ROW_ROLE:
            return r
        if role == SORT_ROLE:
            return col.sort(r) if col.sort else col.text(r)
        if self._pending is not None and self._pending(r):
            if role == Qt.ItemDataRole.ForegroundRole:
                return _PENDING
            if role == Qt.ItemDataRole.FontRole:
                return _ITALIC
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.columns[section].title
        return None


class RowsProxy(QAbstractProxyModel):
    """Search and sort over a RowsModel, by keeping the visible source rows in a list."""

    def __init__(self, source: RowsModel[Any], parent: Any = None) -> None:
        super().__init__(parent)
        self._order: list[int] = []
        self._where: dict[int, int] = {}
        self._needle = ""
        self._keep: Callable[[Any], bool] | None = None
        self._sort: tuple[int, Qt.SortOrder] | None = None
        self._sorted: tuple[Any, list[int] | range] | None = None
        self.setSourceModel(source)
        source.modelReset.connect(self._rebuild)
        source.dataChanged.connect(self._relay)
        self._rebuild()

    @property
    def rows_model(self) -> RowsModel[Any]:
        src = self.sourceModel()
        assert isinstance(src, RowsModel)
        return src

    # --- what is shown ---------------------------------------------------------------------------

    def set_search(self, text: str) -> None:
        needle = text.strip().lower()
        if needle != self._needle:
            self._needle = needle
            self._rebuild()

    def set_keep(self, keep: Callable[[Any], bool] | None) -> None:
        """An extra filter on the row objects (a status chip, a date range)."""
        self._keep = keep
        self._rebuild()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self._sort = (column, order)
        self._rebuild()

    def _sorted_order(self) -> list[int] | range:
        """Every source row in the sort order, computed once per rows and sort: a search then
        only filters this list, which keeps typing fast at 100 000 rows."""
        src = self.rows_model
        rows = src.rows
        key = (id(rows), len(rows), self._sort)
        if self._sorted is not None and self._sorted[0] == key:
            return self._sorted[1]
        order: list[int] | range = range(len(rows))
        if self._sort is not None and 0 <= self._sort[0] < len(src.columns):
            col = src.columns[self._sort[0]]
            keys = sort_keys(list(map(col.sort or col.text, rows)))
            order = sorted(order, key=keys.__getitem__, reverse=self._sort[1] == Qt.SortOrder.DescendingOrder)
        self._sorted = (key, order)
        return order

    def row(self, proxy_row: int) -> Any:
        return self.rows_model.rows[self._order[proxy_row]]

    def _rebuild(self) -> None:
        self.layoutAboutToBeChanged.emit()
        self.beginResetModel()
        src = self.rows_model
        rows = src.rows
        order = self._sorted_order()
        if self._needle:
            hay = src.haystack()
            needle = self._needle
            order = [i for i in order if needle in hay[i]]
        if self._keep is not None:
            keep = self._keep
            order = [i for i in order if keep(rows[i])]
        self._order = list(order)
        self._where = {}
        self.endResetModel()
        self.layoutChanged.emit()

    def _relay(self, top: QModelIndex, bottom: QModelIndex, roles: Any = ()) -> None:
        self._where = {}
        self.dataChanged.emit(self.index(0, 0), self.index(max(self.rowCount() - 1, 0), self.columnCount() - 1))

    # --- Qt --------------------------------------------------------------------------------------

    def mapToSource(self, proxy: Index) -> QModelIndex:  # noqa: N802
        if not proxy.isValid() or proxy.row() >= len(self._order):
            return QModelIndex()
        return self.rows_model.index(self._order[proxy.row()], proxy.column())

    def mapFromSource(self, source: Index) -> QModelIndex:  # noqa: N802
        if not source.isValid():
            return QModelIndex()
        if not self._where:
            self._where = {s: p for p, s in enumerate(self._order)}
        at = self._where.get(source.row())
        return QModelIndex() if at is None else self.index(at, source.column())

    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        if parent.isValid() or not (0 <= row < len(self._order)) or not (0 <= column < self.columnCount()):
            return QModelIndex()
        return self.createIndex(row, column)

    def parent(self, child: Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        return QModelIndex()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._order)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else self.rows_model.columnCount()

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._order):
            return None
        return self.rows_model.data(self.rows_model.index(self._order[index.row()], index.column()), role)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        return self.rows_model.headerData(section, orientation, role)


def sort_keys(values: list[Any]) -> list[Any]:
    """Each value's key for sorting (`_sortable`'s order). Values of one type other than None (a
    column of dates, of names, of amounts) need no tuple around them to compare: with 100 000
    sessions, wrapping each one was most of the 0.3 s the Session history's list took on the UI
    thread at every refresh."""
    kinds = set(map(type, values))
    if kinds and all(issubclass(k, str) for k in kinds):  # text, enums of text too: without regard to case
        return list(map(str.lower, values))
    if len(kinds) == 1 and type(None) not in kinds:
        return values
    return list(map(_sortable, values))


def _sortable(value: Any) -> Any:
    """None sorts first; mixed types would raise, so keys are made comparable."""
    if value is None:
        return (0, "")
    if isinstance(value, str):
        return (1, value.lower())
    return (1, value)


def source_model(model: QAbstractItemModel) -> QAbstractItemModel:
    return model.sourceModel() if isinstance(model, QAbstractProxyModel) else model
