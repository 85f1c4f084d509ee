"""Inspection visits by the responsible inspector (责任督学) and rectification notices (整改通知)."""
