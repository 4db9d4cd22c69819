"""Listening tools: topics and routing, question detection, language, top users, keyword volumes."""
