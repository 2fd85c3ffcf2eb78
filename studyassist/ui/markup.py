"""Text from the corpus, a pasted question or an LLM, made safe for ``st.markdown`` and every markdown label.

Streamlit renders GitHub-flavoured markdown: ``![c](http://…)`` makes the browser fetch the image (a tracking
channel, and a request that breaks the offline promise), ``[text](url)``, ``<http://…>`` and a bare
``http://…`` or ``www.…`` become clickable links. Raw HTML is never rendered (no ``unsafe_allow_html``).
Two helpers, one for each kind of text:

- ``md_escape``: text shown literally (a table cell, an option, a stem);
- ``safe_markdown``: markdown the core composed (bold labels, lists, a comparison table) around corpus or LLM
  text: its emphasis and layout stay, images and links do not.

In both, a web address is shown as code (never linked); image and link syntax is shown as the characters typed.
"""
from __future__ import annotations

import re

# A web address as GitHub-flavoured markdown would link it: scheme://…, www.…, or an e-mail address. The link
# text is cut at whitespace, a backtick (it must stay inside its code span) and characters that end a cell or a
# bracketed label.
_URL = re.compile(r"(?:\b[a-z][a-z0-9+.-]{0,31}://|\bwww\.)[^\s`<>|\[\]()]+"
                  r"|\b[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63})+", re.I)
# Everything markdown gives a meaning to inside a line: emphasis, code, links and images, LaTeX, tables, HTML.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]$|~<>#!])")
# What composed markdown may keep (emphasis, lists, tables) but corpus or LLM text inside it must not bring:
# link and image brackets, autolinks and raw HTML, LaTeX (KaTeX can be asked to load a URL), and a stray
# backtick (it would pair with the one that opens a web address's code span and leave the address outside).
# A citation marker the composer wrote ("[2]" at the end of a sentence) stays as it is: with every other bracket
# escaped, and a marker followed by "(" or ":" escaped too, no link or reference definition can be formed.
_LINKING = re.compile(r"(\[\d{1,3}\](?![(:]))|([\[\]<>$`])")


def _split_urls(text: str, plain, url) -> str:
    out, last = [], 0
    for m in _URL.finditer(text):
        out += [plain(text[last:m.start()]), url(m.group(0))]
        last = m.end()
    out.append(plain(text[last:]))
    return "".join(out)


def _code(address: str) -> str:
    return f"`{address}`"


def md_escape(text: str) -> str:
    """Text shown literally inside markdown (no emphasis, links, images, LaTeX or table breaks; whitespace
    collapsed); a web address in it is shown as code."""
    return _split_urls(" ".join(str(text).split()), lambda part: _MD_SPECIAL.sub(r"\\\1", part), _code)


def safe_markdown(markdown: str) -> str:
    """Composed markdown with its bold, lists and tables kept but no image, link, autolink, raw HTML or LaTeX
    (web addresses shown as code). Code spans the composer wrote are left as they are."""
    parts = re.split(r"(`[^`\n]*`)", str(markdown))  # inside a code span nothing is linked or fetched
    for n in range(0, len(parts), 2):
        parts[n] = _split_urls(parts[n], lambda part: _LINKING.sub(lambda m: m[1] or "\\" + m[2], part), _code)
    return "".join(parts)
