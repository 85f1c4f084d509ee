"""Burden surveys (课业负担调查): anonymous questionnaires for students, guardians and teachers."""
