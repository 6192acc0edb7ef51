"""Pages of the listing app: the public look-up and appeal (no account), and the staff's queues and decisions."""
