"""The one error the community's services raise: a short code the pages and the API turn into words."""


class CommunityError(ValueError):
    """Why a change was refused (e.g. "empty", "too_long", "not_found", "hidden", "too_fast")."""
