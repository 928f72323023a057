"""The demo behind `make run`: a year of an expert's business and customers who keep asking."""
