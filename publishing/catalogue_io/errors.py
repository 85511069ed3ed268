"""The one error every step of reading, checking and importing a catalogue raises."""


class CatalogueError(Exception):
    """A catalogue file that cannot be imported, with where the problem is in the file."""

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"{path}: {problem}" if path else problem)
        self.path = path
        self.problem = problem
