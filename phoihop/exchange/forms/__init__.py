"""Forms of the exchange app: they shape what a person typed; services and moves decide (moves.py: the
workflows' moves; request.py: a request, its council and its hand-overs)."""
