"""Casework: a person's record, the different conversations, plans and referrals that close the
loop (issue 12)."""
