"""Catalogue pages: paths, a path, a lesson; and the media files lessons use."""
from flask import Blueprint

bp = Blueprint("catalogue", __name__)
