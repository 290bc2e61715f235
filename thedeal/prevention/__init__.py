"""Predictive prevention: find residents at rising risk of a crisis, say why, offer what helps.

The pure parts (synthpop, features, model, evaluation, explanations, the eFI) import no Django;
models.py, actions.py and the management commands are the Django side.
"""
