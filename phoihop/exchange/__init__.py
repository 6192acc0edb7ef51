"""Requests between organisations: information, expert assessment and hand-over requests, their working-day deadlines,
councils and hand-over records (Đ3.3, Đ5.5, Đ5.6, Đ8.3, Đ11.8, Đ17.2).
"""
