"""Advisories to the parties with acknowledgements (Đ6.2, Đ8.1, Đ5.1, Đ5.7), public warnings and their feeds (Đ9)."""
