"""Media from outside the house (learners' photos, course images): checked, bounded and re-encoded; imports no domain."""
