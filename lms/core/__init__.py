"""The shared kernel: database setup, languages, security headers; imports no domain."""
