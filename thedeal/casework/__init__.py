"""Casework: conversations, plans and referrals that close the loop (issue 12)."""
