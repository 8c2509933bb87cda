"""Conversations as agents and supervisors read them, and agents' replies to customers."""
