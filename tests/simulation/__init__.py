"""A deterministic simulation of the whole system (issue 6), in the spirit of TigerBeetle's VOPR.

One integer seed drives customers, experts with real desktop caches, an operator, the network
between them and the in-process server, restarts and the clock. See harness.py.
"""
