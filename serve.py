"""The app with its security headers: ``streamlit run serve.py`` (the same app as ``streamlit run app.py``).

Streamlit 1.67 runs a script that defines an ASGI app (``st.App``) in its ASGI mode; the middleware adds the
frame and content-security-policy headers (assessment/http_headers.py) that the plain ``streamlit run app.py``
cannot send. Behind nginx, the proxy adds the same headers (benchmarks/room/nginx.conf).
"""

import streamlit as st
from starlette.middleware import Middleware

from assessment.http_headers import SecurityHeaders

app = st.App("app.py", middleware=[Middleware(SecurityHeaders)])
