"""Runnable examples of tca-tapd (not part of the installed package).

Run them from the repository root, e.g. ``uvicorn examples.fastapi_app:app``.
"""
