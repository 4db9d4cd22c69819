"""The self-contained HTML report: one file, no network, a strict Content-Security-Policy.

Styles and the small sorting script are inline and allowed by their SHA-256
hashes; charts are ``data:`` SVG images. The policy forbids every other
source, so the file cannot load anything even if a brand name or text
smuggled markup past the (autoescaped) template.
"""

from __future__ import annotations

import base64
import hashlib
from importlib.resources import files

from jinja2 import Environment, PackageLoader, StrictUndefined

from .content import ReportContent


def _env() -> Environment:
    return Environment(
        loader=PackageLoader("benchmark.report", "templates"),
        autoescape=True,  # every brand name, text and file name is user data
        undefined=StrictUndefined,
        trim_blocks=False,
        keep_trailing_newline=True,
    )


def _asset(name: str) -> str:
    return files("benchmark.report").joinpath("templates", name).read_text(encoding="utf-8")


def csp_hash(source: str) -> str:
    """The CSP source expression allowing exactly this inline ``<style>``/``<script>`` body."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(source.encode("utf-8")).digest()).decode("ascii") + "'"


def content_security_policy(css: str, js: str) -> str:
    return "; ".join(
        [
            "default-src 'none'",
            "img-src data:",
            f"style-src {csp_hash(css)}",
            f"script-src {csp_hash(js)}",
            "base-uri 'none'",
            "form-action 'none'",
        ]
    )


def render_html(content: ReportContent, *, printable: bool = False) -> str:
    """The report as one HTML document; ``printable`` opens every collapsed part (for a PDF)."""
    css, js = _asset("report.css"), _asset("sort.js")
    template = _env().get_template("report.html.j2")
    return template.render(c=content, css=css, js=js, csp=content_security_policy(css, js), printable=printable)
