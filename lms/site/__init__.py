"""The centre itself: its addresses, its own certificate authority and HTTPS, and how phones come to trust it.

Low in the house: it imports no domain, and every domain may use it.
"""


def init_app(app):
    from lms.site import addresses, views

    app.register_blueprint(views.bp)
    app.add_template_global(addresses.phone_url)
    app.add_template_global(lambda: addresses.base_url_for_phones()[1], "phone_address_warning")
