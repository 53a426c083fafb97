r"""Generic indices in a claim: ``w^l_{jk}``, ``\delta^l_j``, ``\sum_k``, read on a concrete graph.

Textbooks state backpropagation for any neuron: Nielsen's (BP4) is
``\frac{\partial C}{\partial w^l_{jk}} = a^{l-1}_k \delta^l_j``.  Checked as the
gradient with respect to one weight, the quantity on the left names that weight,
so its indices are *bound* by matching it against the weight's own spelling
(``w^{3}_{12}``: l = 3, j = 1, k = 2); every script of the claim that is made of
bound letters (and ``+``/``-`` of small numbers: ``l-1``) is then written with the
numbers.  A sum ``\sum_k T`` (``\sum_{k}``, ``\sum\limits_{o}``, ``\sum_{\ell\in L}``)
is written out over the values of ``k`` for which every name of ``T`` is one of
the graph's, its term ``T`` running to the end of the product (or the braced group
after the subscript).  Only text is rewritten here; the readers read the result.

>>> from symprop.front.spec import loads_spec
>>> g = loads_spec('[graph]\ninputs = ["x"]\nparams = ["w1", "w2"]\nloss = "L"\n'
...                '[graph.nodes]\nz1 = "w1*x"\nz2 = "w2*x"\nL = "z1*z2"\n').graph
>>> bind_indices(r"\frac{\partial L}{\partial w_i} = x \sum_j \frac{\partial L}{\partial z_j}", g, g.symbol("w2"))
'\\frac{\\partial L}{\\partial w_{2}} = x (\\frac{\\partial L}{\\partial z_{1}} + \\frac{\\partial L}{\\partial z_{2}})'
"""
from __future__ import annotations

import re

from ..ir import notation
from .latex_text import MAX_LENGTH

MAX_TERMS = 16          # a sum written out has at most this many terms
MAX_SUMS = 6            # sums in one claim
MAX_VALUES = 48         # values tried for a sum's index: each is one reading of its term
_GROUP = r"\{(?:[^{}]|\{[^{}]*\})*\}"
SCRIPT = re.compile(r"([_^])\s*(%s|\\[A-Za-z]+|[A-Za-z0-9])" % _GROUP)
# The quantity a claim states: its first side, a derivative of the loss or an error delta.
LEAD = re.compile(r"\s*(?:\\begin\s*\{[^{}]*\}\s*)?(?:\\frac\s*\{\s*\\partial[^{}]*\}\s*\{\s*\\partial"
                  r"\s*((?:[^{}]|%s)*)\}|(\\delta(?:\s*[_^]\s*(?:%s|[A-Za-z0-9]))+)"
                  r"|d((?:[A-Za-z]|\\[A-Za-z]+)(?:\s*[_^]\s*(?:%s|[A-Za-z0-9]))+))"
                  % (_GROUP, _GROUP, _GROUP))
SUM = re.compile(r"\\sum(?:\\limits|\\nolimits)?\s*_\s*(%s|[A-Za-z])(?:\s*\^\s*(%s|[A-Za-z0-9]))?"
                 % (_GROUP, _GROUP))
# The 1/n, 1/m or 1/N of a mean over the examples, just before its sum.
MEAN = re.compile(r"\\frac\s*\{\s*1\s*\}\s*\{\s*([nmN])\s*\}\s*$")
SUFFIX = re.compile(r"(?:\\prime|'|\\top|T)+\s*$")   # g^{[l]\prime}, A^{[l-1]T}: after the index
INDEX_ITEM = re.compile(r"(\\ell|[A-Za-z])\s*(?:([+-])\s*(\d))?|(\d)")


def split_name(spelling: str):
    """``(base, sub, sup)`` of a name as written: ``w^{3}_{12}`` gives ``('w', '12', '3')``;
    brackets around a layer (``[2]``, ``(2)``) are dropped."""
    text = spelling.strip()
    scripts = {"_": None, "^": None}
    while m := re.search(r"([_^])\s*(%s|\\[A-Za-z]+|[A-Za-z0-9])\s*$" % _GROUP, text):
        content = m.group(2)
        content = content[1:-1] if content.startswith("{") else content
        if scripts[m.group(1)] is not None:
            break
        scripts[m.group(1)] = re.sub(r"^\s*[\[(]\s*|\s*[\])]\s*$|\s", "", content)
        text = text[:m.start()].rstrip()
    return text, scripts["_"], scripts["^"]


def _items(content: str):
    """An index script as items: ``jk`` -> [j, k], ``l-1`` -> [l-1], ``12`` -> [1, 2]; None if it
    is no index (a word such as ``total``)."""
    items, at = [], 0
    for m in INDEX_ITEM.finditer(content):
        if content[at:m.start()].strip(" ,"):
            return None
        items.append(m.group(0).replace(" ", ""))
        at = m.end()
    return items if not content[at:].strip(" ,") and items else None


def _bind(pattern: str, value: str, bound: dict) -> bool:
    """Bind the letters of the script ``pattern`` to the numbers of ``value``."""
    items = _items(pattern)
    if items is None or not value:
        return False
    digits = list(value) if len(items) == len(value) and value.isdigit() else [value]
    if len(items) != len(digits):
        return False
    for item, number in zip(items, digits):
        m = INDEX_ITEM.fullmatch(item)
        if m.group(4) is not None:
            if item != number:
                return False
            continue
        if not number.isdigit():
            return False
        shift = int(m.group(3) or 0) * (1 if m.group(2) == "+" else -1)
        letter, n = m.group(1), int(number) - shift
        if bound.get(letter, n) != n or n < 0:
            return False
        bound[letter] = n
    return True


def _spellings(graph, symbol):
    return [graph.latex_name(symbol), notation.default_latex(symbol.name)]


def bindings(text: str, graph, wrt) -> dict:
    """The index letters the claim's leading quantity binds, matched against ``wrt``."""
    m = LEAD.match(text)
    if m is None:
        return {}
    written = m.group(1) or m.group(2) or m.group(3)
    base, sub, sup = split_name(written)
    if not any(re.search(r"[a-z]", s or "") for s in (sub, sup)):
        return {}
    for spelling in _spellings(graph, wrt):
        their_base, their_sub, their_sup = split_name(spelling)
        if m.group(1) and base.replace(" ", "") != their_base.replace(" ", ""):
            continue
        if m.group(3) and base.lower() != their_base.lower():
            continue
        ours = [s for s in (sub, sup) if s is not None]
        theirs = [s for s in (their_sub, their_sup) if s is not None]
        pairs = (list(zip(ours, theirs)) if len(ours) == len(theirs) == 1
                 else [(sub, their_sub), (sup, their_sup)])
        bound = {}
        if all(a is None and b is None or (a is not None and b is not None and
               (a == b or _bind(a, b, bound))) for a, b in pairs):
            if bound:
                return bound
    return {}


def substitute(text: str, bound: dict, free=frozenset()) -> str:
    """Every script made of bound letters (and ``free`` ones, a sum's) written with the bound
    letters' numbers (``l-1`` evaluated); a script with another letter (``total``) is a word."""
    def script(m):
        content = m.group(2)
        inner = content[1:-1] if content.startswith("{") else content
        items = _items(re.sub(r"[\[\]()]", " ", SUFFIX.sub("", inner)))
        letters = [INDEX_ITEM.fullmatch(i).group(1) for i in items or ()]
        if not items or not all(c is None or c in bound or c in free for c in letters) or \
                not any(c in bound for c in letters):
            return m.group(0)

        def value(item):
            k = INDEX_ITEM.fullmatch(item)
            if k.group(4) is not None or k.group(1) not in bound:
                return item
            shift = int(k.group(3) or 0) * (1 if k.group(2) == "+" else -1)
            return str(bound[k.group(1)] + shift)
        suffix = SUFFIX.search(inner)
        core = inner[:suffix.start()] if suffix else inner
        numbers = re.sub(r"(\\ell|[A-Za-z])\s*(?:[+-]\s*\d)?",
                         lambda i: value(i.group(0).replace(" ", "")), core)
        numbers += suffix.group() if suffix else ""
        return f"{m.group(1)}{{{numbers}}}"
    return SCRIPT.sub(script, text)


def _term_end(text: str, i: int) -> int:
    """Where the term of a sum starting at ``i`` ends: the product's end at this depth."""
    depth = 0
    while i < len(text):
        char = text[i]
        if char in "{([":
            depth += 1
        elif char in "})]":
            depth -= 1
            if depth < 0:
                return i
        elif depth == 0 and (char in "+-=&" or text.startswith("\\\\", i)):
            return i
        elif depth == 0 and text.startswith(r"\right", i):
            return i
        i += 1
    return i


def _values(graph) -> list[str]:
    """Every script value of the graph's names: the candidates a summation index takes."""
    found = []
    for symbol in graph.symbols:
        for spelling in _spellings(graph, symbol):
            for script in split_name(spelling)[1:]:
                for value in ([script] + list(script) if script else []):
                    if value not in found and re.fullmatch(r"[A-Za-z0-9]+", value):
                        found.append(value)
    return found


def expand_sums(text: str, graph, known) -> str:
    """Each ``\\sum_v T`` written out as ``(T_1 + T_2 + ...)`` over the values that ``known``
    (a test of one rewritten term: are all its names the graph's?) accepts."""
    for _ in range(MAX_SUMS):
        m = SUM.search(text)
        if m is None:
            return text
        under = m.group(1)[1:-1] if m.group(1).startswith("{") else m.group(1)
        variable = re.match(r"\s*(\\ell|[A-Za-z])", under)
        if variable is None:
            return text
        start = m.end()
        while start < len(text) and text[start] == " ":
            start += 1
        if text.startswith("{", start):
            depth, end = 0, start
            for end in range(start, len(text)):
                depth += {"{": 1, "}": -1}.get(text[end], 0)
                if depth == 0:
                    break
            term, after = text[start + 1:end], end + 1
        else:
            after = _term_end(text, start)
            term = text[start:after]
        letter, upper = variable.group(1), m.group(2)
        upper = upper[1:-1].strip() if upper and upper.startswith("{") else upper
        in_scripts = any(letter in (_items(c[1:-1] if c.startswith("{") else c) or ())
                         for _, c in SCRIPT.findall(term))
        mean = MEAN.search(text[:m.start()])
        if mean and upper in (None, mean.group(1)):
            # Nielsen's 1/n sum_x, Ng's 1/m sum_{i=1}^m: the mean over the examples, of one
            # example in a scalar graph; the example's own script (x^{(i)}) goes with it
            one = re.sub(r"\^\s*\{\s*\(\s*%s\s*\)\s*\}" % re.escape(letter), "", term)
            if not any(letter in (_items(c[1:-1] if c.startswith("{") else c) or ())
                       for _, c in SCRIPT.findall(one)) and known(one):
                text = text[:mean.start()] + "(" + one + ")" + text[after:]
                continue
        if in_scripts and (upper is None or not upper.isdigit()) and known(term):
            # the index is itself a name's script (Bishop's w_{kj}, delta_k): one unit
            text = text[:m.start()] + "(" + term + ")" + text[after:]
            continue
        written = (substitute(term, {letter: int(value)}, _summed(text)) if value.isdigit()
                   else _rename(term, letter, value) for value in _values(graph)[:MAX_VALUES])
        terms = list(dict.fromkeys(t for t in written if t != term and known(t)))[:MAX_TERMS]
        if not terms or (upper is not None and upper.isdigit() and len(terms) != int(upper)):
            return text          # left to the reader, which refuses a sum it cannot write out
        text = text[:m.start()] + "(" + " + ".join(terms) + ")" + text[after:]
    return text


def _summed(text: str) -> set:
    """The letters that the sums of ``text`` run over."""
    return {v.group(1) for m in SUM.finditer(text)
            if (v := re.match(r"\s*\{?\s*(\\ell|[A-Za-z])", m.group(1)))}


def _rename(term: str, letter: str, value: str) -> str:
    """``term`` with the index ``letter`` written ``value`` in the scripts that are just it."""
    def script(m):
        content = m.group(2)
        inner = content[1:-1] if content.startswith("{") else content
        return f"{m.group(1)}{{{value}}}" if inner.strip() == letter else m.group(0)
    return SCRIPT.sub(script, term)


def bind_indices(text: str, graph, wrt, known=None, sums: bool = True) -> str:
    """The claim with its generic indices bound by ``wrt`` and (``sums``) its sums written out."""
    if not isinstance(text, str) or len(text) > MAX_LENGTH:
        return text              # the screen refuses it, naming why
    bound = bindings(text, graph, wrt)
    if bound:
        text = substitute(text, bound, _summed(text))
    if sums and r"\sum" in text:
        text = expand_sums(text, graph, known or _numbered)
    return text


def _numbered(term: str) -> bool:
    """Without a reader's test: a term is known when no script of it is a bare letter left."""
    return not any(re.fullmatch(r"\s*(\\ell|[A-Za-z])\s*", c[1:-1] if c.startswith("{") else c)
                   for _, c in SCRIPT.findall(term))


__all__ = ["bind_indices", "bindings", "substitute", "expand_sums", "split_name"]
