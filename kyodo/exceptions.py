class DomainError(Exception):
    """A rule of the domain refused an action; ``message`` is translated and shown to users."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message
