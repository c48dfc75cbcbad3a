"""Serve: the FastAPI application."""
