"""Who may see a page: `role_required` for every blueprint, and where each role starts."""
from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar, cast

from flask import abort, current_app, request
from flask_login import current_user

from ..extensions import login_manager
from ..models import User
from ..states import Role

F = TypeVar("F", bound=Callable[..., Any])

# Where each role starts after signing in (when no page asked for the sign-in).
WORKSPACES = {Role.YOUTH: "youth.matches", Role.ASSOCIATION: "association.openings",
              Role.COORDINATOR: "coordinator.home", Role.ADMIN: "admin.home"}


def home() -> str:
    return request.script_root + "/"


def workspace(user: User) -> str:
    """The URL of the page `user`'s role starts from."""
    endpoint = WORKSPACES.get(user.role)
    return current_app.url_for(endpoint) if endpoint else home()


def role_required(*roles: Role | str) -> Callable[[F], F]:
    """Only users with one of `roles` may call the view: 403 for others, sign-in for visitors."""
    allowed = {Role(r) for r in roles}
    if not allowed:
        raise ValueError("role_required needs at least one role")

    def decorate(view: F) -> F:
        @functools.wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if current_user.role not in allowed:
                abort(403)
            return view(*args, **kwargs)
        return cast(F, wrapped)  # functools.wraps keeps the view's signature
    return decorate
