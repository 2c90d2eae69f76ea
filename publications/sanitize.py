"""The one HTML sanitiser of staff-written rich text (news, newsletter issues): nh3, the Python
binding of the maintained Rust library ammonia.

What stays is a short list of structural tags and, on links, ``href`` (http, https, mailto and
tel only) and ``title``; ``rel="noopener noreferrer"`` is set on every link. Everything else
goes: scripts and styles with their content, event handlers, ``style`` attributes, iframes,
forms, SVG and MathML, ``javascript:``/``data:`` URLs. Text is kept, so what stays renders the
same after a second pass (the sanitiser is idempotent).
"""

import html

import nh3

ALLOWED_TAGS = {
    "p", "br", "hr", "strong", "b", "em", "i", "u", "s", "small", "sub", "sup", "mark",
    "h2", "h3", "h4", "ul", "ol", "li", "dl", "dt", "dd", "blockquote", "q", "cite",
    "a", "table", "caption", "thead", "tbody", "tr", "th", "td", "img", "figure", "figcaption",
    "abbr", "code", "pre", "span",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height"},
    "th": {"scope", "colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
    "abbr": {"title"},
    "ol": {"start"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
# Dropped with everything inside them (not just the tags): their text is no content.
CLEAN_CONTENT_TAGS = {"script", "style", "iframe", "object", "embed", "svg", "math", "template"}


def sanitize_html(value: str) -> str:
    """``value`` with only what ALLOWED_TAGS/ALLOWED_ATTRIBUTES allow; links get
    rel="noopener noreferrer"."""
    return nh3.clean(
        value or "",
        tags=ALLOWED_TAGS,
        clean_content_tags=CLEAN_CONTENT_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


def plain_text(value: str) -> str:
    """The text of HTML (entities decoded, whitespace folded), for search keys and summaries."""
    return " ".join(html.unescape(nh3.clean(value or "", tags=set())).split())
