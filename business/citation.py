"""How to cite one published version: a short reference in an author-date style,
and the same facts as RIS and BibTeX files for reference managers."""

from dataclasses import dataclass
from datetime import date

PUBLISHER = "Evidence Store"


@dataclass(frozen=True)
class Citation:
    name: str
    version: int
    published: date
    url: str
    accessed: date

    @property
    def title(self) -> str:
        return f"{self.name}, version {self.version}"

    def text(self) -> str:
        """Author-date (Harvard) style, as UK councils and universities use."""
        return (
            f"{PUBLISHER} ({self.published.year}) {self.title}. "
            f"Published {self.published:%-d %B %Y}. Available at: {self.url} "
            f"(accessed {self.accessed:%-d %B %Y})."
        )

    def ris(self) -> str:
        lines = [
            ("TY", "ELEC"),
            ("AU", PUBLISHER),
            ("TI", self.title),
            ("PY", str(self.published.year)),
            ("DA", f"{self.published:%Y/%m/%d}"),
            ("PB", PUBLISHER),
            ("ET", f"Version {self.version}"),
            ("UR", self.url),
            ("Y2", f"{self.accessed:%Y/%m/%d}"),
            ("ER", ""),
        ]
        return "".join(f"{tag}  - {value}\r\n" for tag, value in lines)

    def bibtex(self, key: str) -> str:
        def braced(text: str) -> str:
            return "{" + text.replace("\\", "").replace("{", "").replace("}", "") + "}"

        fields = [
            ("author", "{" + PUBLISHER + "}"),
            ("title", braced(self.title)),
            ("year", braced(str(self.published.year))),
            ("date", braced(self.published.isoformat())),
            ("version", braced(str(self.version))),
            ("publisher", braced(PUBLISHER)),
            ("url", braced(self.url)),
            ("urldate", braced(self.accessed.isoformat())),
        ]
        body = ",\n".join(f"  {name} = {value}" for name, value in fields)
        return f"@online{{{key},\n{body}\n}}\n"
