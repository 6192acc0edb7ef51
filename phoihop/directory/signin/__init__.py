"""Signing in: the second factor (django-otp), session limits and the password policy.

Password first (Django's login view, with django-axes' lockout), then, for a person who has a confirmed
device or whose role requires one, a one-time code from an authenticator app or a recovery code before
any other page. Heads, hub coordinators, system administrators and superusers must have a device; anyone
may add one on the security page.
"""
