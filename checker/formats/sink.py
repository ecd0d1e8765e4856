"""One output of a run (a format, to stdout or a file), fed a document at a time. The formats a
reader can take piece by piece (text, concise, github, json, jsonl) are written as each document
is checked, so a batch of any size holds none of them; SARIF, JUnit and GitLab are one structure
each: SARIF and JUnit have each document's part written out (to a spooled file) as its report is
checked and are put together at the end; GitLab is assembled from the documents' records."""

from __future__ import annotations

from typing import TextIO

from checker.formats import concise, github, gitlab, jsonfmt, junit, sarif, text


class Sink:
    def __init__(self, kind: str, out: TextIO, rules=(), *, color: bool = False, quiet: int = 0, basis: bool = False):
        """`rules`: every rule the run loaded (SARIF and JUnit list them)."""
        self.kind, self.out, self.rules = kind, out, rules
        self.held: list = []
        self.text = text.Stream(color=color, quiet=quiet, basis=basis) if kind == "text" else None
        self.json = jsonfmt.Stream() if kind == "json" else None
        if self.json:
            out.write(self.json.head())
        # written out a document at a time (into spooled files), put together at the end
        self.junit = junit.Stream(rules) if kind == "junit" else None
        self.sarif = sarif.Stream(rules) if kind == "sarif" else None

    def add(self, result) -> None:
        kind = self.kind
        if kind == "text":
            self.out.write(self.text.document(result))
        elif kind == "concise":
            self.out.write(concise.render([result]))
        elif kind == "github":
            self.out.write(github.render([result]))
        elif kind == "json":
            self.out.write(self.json.document(result))
        elif kind == "jsonl":
            self.out.write(jsonfmt.line(result))
        elif kind == "junit":
            self.junit.add(result)
        elif kind == "sarif":
            self.sarif.add(result)
        else:
            self.held.append(result)

    def close(self) -> None:
        """The end of the output."""
        kind = self.kind
        if kind == "text":
            self.out.write(self.text.closing())
        elif kind == "json":
            self.out.write(self.json.tail())
        elif kind == "sarif":
            self.sarif.write_to(self.out)
        elif kind == "junit":
            self.junit.write_to(self.out)
        elif kind == "gitlab":
            self.out.write(gitlab.render(self.held))
        self.held = []
