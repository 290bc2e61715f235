"""Casework: a person's record, their conversations, plans and referrals (issue 12)."""
