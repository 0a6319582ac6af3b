"""HTTP security headers sent with every response."""

CONTENT_SECURITY_POLICY_PARTS = [
    "default-src 'self'",
    "img-src 'self' data:",
    "style-src 'self'",
    "script-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
]
CONTENT_SECURITY_POLICY = "; ".join(CONTENT_SECURITY_POLICY_PARTS)


def content_security_policy(image_origin):
    """Return the policy with one more origin allowed for images (the page that checks trust in HTTPS)."""
    return "; ".join(part + " " + image_origin if part.startswith("img-src ") else part
                     for part in CONTENT_SECURITY_POLICY_PARTS)

HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "camera=(self), geolocation=(), microphone=(self)",  # microphone: voice notes
    "Cross-Origin-Opener-Policy": "same-origin",
}


def add_security_headers(response):
    """Add the headers unless a view set its own."""
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    return response

