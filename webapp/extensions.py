"""The Flask extensions, made once and bound to each app in `create_app`: here, so that any module
can import them without importing the app's factory."""
from __future__ import annotations

from flask_babel import Babel
from flask_login import LoginManager
from flask_wtf import CSRFProtect

babel = Babel()
csrf = CSRFProtect()
login_manager = LoginManager()
