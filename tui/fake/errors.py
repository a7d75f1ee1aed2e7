"""The error a route raises; the server turns it into Graph's error envelope."""

from __future__ import annotations


class GraphError(Exception):
    def __init__(
        self, status: int, code: str, message: str, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers or {}


def not_found() -> GraphError:
    return GraphError(404, "ErrorItemNotFound", "The specified object was not found in the store.")


def segment_not_found(segment: str, code: str = "BadRequest") -> GraphError:
    return GraphError(400, code, f"Resource not found for the segment '{segment}'.")


def unknown_property(name: str, type_name: str) -> GraphError:
    return GraphError(
        400, "RequestBroker--ParseUri",
        f"Could not find a property named '{name}' on type 'microsoft.graph.{type_name}'.",
    )


def access_denied() -> GraphError:
    return GraphError(
        403, "ErrorAccessDenied", "Access is denied. Check credentials and try again."
    )
