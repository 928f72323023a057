"""The look: one light theme with a dark sidebar, set once on the application.

Screens opt in by object name or property, never by colours of their own:
  QLabel#heading / #subheading   page title and its line of explanation
  QLabel#empty                   an empty state (what to do)
  QFrame#card                    a white rounded panel
  QLabel#chip[tone=...]          small coloured label: neutral, accent, good, warn, bad
  QPushButton[primary="true"]    the main action of a page or card; [danger="true"] for destructive ones
  QLabel#figure / #figure-label  a big number and its caption (earnings, countdowns)
"""

from __future__ import annotations

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication

ACCENT = "#0f766e"
ACCENT_DARK = "#115e59"
INK = "#1f2937"
MUTED = "#6b7280"
CANVAS = "#f3f4f6"
CARD = "#ffffff"
LINE = "#e5e7eb"
GOOD = "#15803d"
WARN = "#b45309"
BAD = "#b91c1c"

SHEET = f"""
QMainWindow, QDialog {{ background: {CANVAS}; }}
QWidget {{ color: {INK}; }}
QWidget#page {{ background: {CANVAS}; }}
QListWidget#sidebar {{ background: #111827; color: #e5e7eb; border: none; padding-top: 8px; outline: 0; }}
QListWidget#sidebar::item {{ padding: 10px 14px; border-radius: 6px; margin: 2px 8px; }}
QListWidget#sidebar::item:selected {{ background: {ACCENT}; color: white; }}
QListWidget#sidebar::item:hover:!selected {{ background: #1f2937; }}
QLabel#brand {{ background: #111827; color: white; font-size: 15px; font-weight: 600; padding: 16px 18px 6px 18px; }}
QLabel#account {{ background: #111827; color: #9ca3af; padding: 0 18px 10px 18px; }}
QLabel#heading {{ font-size: 20px; font-weight: 600; }}
QLabel#subheading {{ color: {MUTED}; }}
QLabel#empty {{ color: {MUTED}; font-size: 14px; padding: 24px; border: 1px dashed #d1d5db; border-radius: 8px; background: {CARD}; }}
QFrame#card {{ background: {CARD}; border: 1px solid {LINE}; border-radius: 8px; }}
QLabel#chip {{ border-radius: 9px; padding: 1px 8px; font-size: 11px; background: #e5e7eb; color: #374151; }}
QLabel#chip[tone="accent"] {{ background: #ccfbf1; color: {ACCENT_DARK}; }}
QLabel#chip[tone="good"] {{ background: #dcfce7; color: {GOOD}; }}
QLabel#chip[tone="warn"] {{ background: #fef3c7; color: {WARN}; }}
QLabel#chip[tone="bad"] {{ background: #fee2e2; color: {BAD}; }}
QLabel#figure {{ font-size: 22px; font-weight: 600; }}
QLabel#figure-label {{ color: {MUTED}; font-size: 11px; text-transform: uppercase; }}
QPushButton {{ padding: 6px 14px; border: 1px solid #d1d5db; border-radius: 6px; background: white; }}
QPushButton:hover {{ border-color: {ACCENT}; }}
QPushButton:disabled {{ color: #9ca3af; background: #f9fafb; }}
QPushButton[primary="true"] {{ background: {ACCENT}; color: white; border-color: {ACCENT}; font-weight: 600; }}
QPushButton[primary="true"]:hover {{ background: {ACCENT_DARK}; }}
QPushButton[primary="true"]:disabled {{ background: #99c7c2; border-color: #99c7c2; }}
QPushButton[danger="true"] {{ color: {BAD}; border-color: #fca5a5; }}
QTableView {{ background: {CARD}; border: 1px solid {LINE}; border-radius: 8px; alternate-background-color: #f9fafb;
              selection-background-color: #ccfbf1; selection-color: {INK}; gridline-color: {LINE}; }}
QHeaderView::section {{ background: {CARD}; border: none; border-bottom: 1px solid {LINE}; padding: 6px; color: {MUTED};
                        font-weight: 600; }}
QLineEdit, QComboBox, QSpinBox, QDateTimeEdit, QPlainTextEdit, QTextEdit {{ background: white; border: 1px solid #d1d5db;
    border-radius: 6px; padding: 4px 6px; }}
QLineEdit:focus, QPlainTextEdit:focus, QTextEdit:focus {{ border-color: {ACCENT}; }}
QFrame#messagebar {{ border-radius: 6px; padding: 2px; }}
QFrame#messagebar[error="true"] {{ background: #fee2e2; border: 1px solid #fca5a5; }}
QFrame#messagebar[error="false"] {{ background: #dcfce7; border: 1px solid #86efac; }}
QStatusBar {{ background: white; border-top: 1px solid {LINE}; }}
QTabWidget::pane {{ border: none; }}
QTabBar::tab {{ padding: 6px 14px; }}
QTabBar::tab:selected {{ color: {ACCENT}; border-bottom: 2px solid {ACCENT}; }}
"""


def apply(app: QApplication) -> None:
    font = QFont(app.font())
    if font.pointSizeF() < 10:
        font.setPointSizeF(10)
    app.setFont(font)
    app.setStyle("Fusion")
    app.setStyleSheet(SHEET)
