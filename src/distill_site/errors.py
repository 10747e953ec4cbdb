"""The one error type the site's machinery raises.

Under MkDocs it is a ``BuildError``, so ``mkdocs build`` prints the message
and the page name and stops without a traceback. Under Zensical (no MkDocs)
it is a plain exception, which still fails the build.
"""

try:
    from mkdocs.exceptions import BuildError as _Base
except ImportError:  # pragma: no cover - only without MkDocs
    _Base = Exception


class SiteError(_Base):
    """A defect in the data file or a page, located as ``file:line``."""

    def __init__(self, where: str, line: int | None, problem: str, fix: str = ""):
        location = f"{where}:{line}" if line else where
        message = f"{location}: {problem}"
        if fix:
            message += f" ({fix})"
        self.where, self.line, self.problem, self.fix = where, line, problem, fix
        super().__init__(message)
