"""A workshop room under load, on real parts: participants speaking Streamlit's own WebSocket protocol
(:mod:`.protocol`, :mod:`.participant`) against app replicas on PostgreSQL, behind nginx (:mod:`.servers`)."""
