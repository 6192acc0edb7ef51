"""Countermeasures asked of carriers, platforms and banks: block a number, a URL or a domain, take content down, freeze
an account (Đ4.2, Đ11.2–11.3).
"""
