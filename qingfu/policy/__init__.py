"""Qingfu's policy layer: rule profiles as data, checks as pure functions.

Imports nothing from Django. Callers load the facts, pass plain values in, and get
verdicts back (ok / warn / violation, with rule id, measured value, limit and citation).
"""
