"""The files the product hands out: payout statements as PDF and SEPA payout files.

The engine decides what goes into them (`payouts.statement`, `payouts.payout_plan`); this
package only lays them out. It imports the engine's records and outside libraries (fpdf2,
sepaxml), never the store, the server or Qt, so both the server and the desktop use it.
"""
