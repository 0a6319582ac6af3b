"""Media from outside the house (learners' photos, course images, voice notes): checked, bounded and re-encoded; imports no domain."""
