"""Advisories to the parties with acknowledgements (Đ6.2, Đ8.1, Đ5.1, Đ5.7) and public warnings with their feeds (Đ9)."""
