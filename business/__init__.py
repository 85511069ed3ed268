"""Business cases: the one-page brief, citations, the side-by-side comparison and the
local cost calculator.

A separate app because it only reads what is already published (publishing's
Version and Listing, restored to model instances) and adds one table of its own,
the price-year deflators. Keeping it apart means the catalogue and the publishing
machinery do not change when the ways of presenting published versions do.
"""
