"""The business of medical billing: money, codes, parties, coverage, encounters. Standard library only."""
