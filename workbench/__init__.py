"""Prepull Workbench: debug WeChat Mini Program data pre-pull (background fetch) on your own machine."""

__version__ = "0.1.0"
