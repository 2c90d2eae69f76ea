"""The news and newsletter HTML sanitiser: what it must strip, and that what it keeps renders
the same."""

import pytest

from publications.sanitize import plain_text, sanitize_html

HOSTILE = [
    ("<script>alert(1)</script><p>本文</p>", "<p>本文</p>"),
    ("<p>a<SCRIPT src=//evil.example/x.js></SCRIPT>b</p>", "<p>ab</p>"),
    ('<img src="x.png" onerror="alert(1)" alt="写真">', '<img src="x.png" alt="写真">'),
    ('<p onclick="steal()">押す</p>', "<p>押す</p>"),
    ('<a href="javascript:alert(1)">link</a>', '<a rel="noopener noreferrer">link</a>'),
    ('<a href=" JaVaScRiPt:alert(1)">link</a>', '<a rel="noopener noreferrer">link</a>'),
    ('<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>', '<a rel="noopener noreferrer">x</a>'),
    ('<p style="background:url(javascript:alert(1))">色</p>', "<p>色</p>"),
    ("<style>body{display:none}</style><p>本文</p>", "<p>本文</p>"),
    ('<iframe src="https://evil.example/"></iframe><p>後</p>', "<p>後</p>"),
    ('<svg onload="alert(1)"><script>alert(2)</script><circle r="5"/></svg>ok', "ok"),
    ('<math><mi xlink:href="javascript:alert(1)">x</mi></math>', ""),
    ('<form action="https://evil.example/"><input name="pw"></form>', ""),
    ('<object data="x.swf"></object><embed src="x.swf">', ""),
    ("<!-- <script>alert(1)</script> -->", ""),
    ('<a href="https://example.jp/" target="_blank" rel="opener">外部</a>',
     '<a href="https://example.jp/" rel="noopener noreferrer">外部</a>'),
    ('<meta http-equiv="refresh" content="0;url=https://evil.example/">', ""),
    ('<base href="https://evil.example/">', ""),
    ('<div><p>中身</p></div>', "<p>中身</p>"),
]  # fmt: skip


@pytest.mark.parametrize(("hostile", "expected"), HOSTILE)
def test_the_sanitiser_strips_what_it_must(hostile, expected):
    cleaned = sanitize_html(hostile)
    assert cleaned == expected
    for danger in ("script", "onerror", "onclick", "onload", "javascript:", "style", "iframe"):
        assert danger not in cleaned.lower()


KEPT = [
    "<h2>見出し</h2><p>段落の<strong>強調</strong>と<em>斜体</em>。<br>改行</p>",
    '<ul><li>一</li><li>二</li></ul><ol start="3"><li>三</li></ol>',
    '<table><caption>表</caption><thead><tr><th scope="col">日</th></tr></thead>'
    "<tbody><tr><td>1</td></tr></tbody></table>",
    '<p><a href="https://www.city.chuo.lg.jp/" rel="noopener noreferrer">中央区</a> · '
    '<a href="mailto:info@kyodo-station.jp" rel="noopener noreferrer">メール</a></p>',
    '<figure><img src="/media/news/a.png" alt="写真" width="300"><figcaption>説明</figcaption>'
    "</figure>",
    "<blockquote><p>引用 &amp; 記号 &lt;tag&gt;</p></blockquote>",
]


@pytest.mark.parametrize("html", KEPT)
def test_what_the_sanitiser_keeps_renders_the_same(html):
    assert sanitize_html(html) == html
    assert sanitize_html(sanitize_html(html)) == sanitize_html(html)


def test_every_link_gets_noopener():
    cleaned = sanitize_html('<p><a href="https://example.jp/">x</a></p>')
    assert cleaned == '<p><a href="https://example.jp/" rel="noopener noreferrer">x</a></p>'


def test_plain_text_is_the_text_alone():
    assert plain_text("<h2>見出し</h2>\n<p>本文 &amp; 続き</p>") == "見出し 本文 & 続き"
