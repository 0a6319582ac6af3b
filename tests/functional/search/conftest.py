"""The search corpus fixture, shared by the search tests."""
from tests.search_corpus import corpus  # noqa: F401
