"""What a page's layout gets wrong, measured in the browser (tests/browser/test_layout.py).

``LAYOUT_PROBLEMS`` is evaluated in the page as it is laid out at the moment: one
call returns every offender, each with a selector, its box and the first words of
its text, so a failure names the element as well as the page.
"""

from __future__ import annotations

from typing import TypedDict

# Offenders, each {kind, selector, detail, text}:
# - page: the document is wider than the viewport (the page scrolls sideways);
# - edge: an element's box passes the viewport's left or right edge (only the
#   outermost such element: what it holds follows it);
# - overlap: two visible block-level siblings in the header or the main content
#   share area (a chart over a table, a card over a card);
# - unlabelled: a folded table's cell (its column headings hidden on a phone)
#   shows a bare count with no data-label to say what it counts.
# Elements placed out of the flow on purpose (the skip link, visually hidden
# labels) and the inside of SVG drawings are left out; one pixel is tolerated
# for rounding.
LAYOUT_PROBLEMS = r"""
() => {
  const viewport = document.documentElement.clientWidth;
  const TOLERANCE = 1;
  const problems = [];
  const selector = (el) => {
    const parts = [];
    for (let e = el; e && e.nodeType === 1 && e !== document.body && parts.length < 5;
         e = e.parentElement) {
      if (e.id) { parts.unshift(`${e.tagName.toLowerCase()}#${e.id}`); break; }
      let part = e.tagName.toLowerCase() + [...e.classList].slice(0, 2).map(c => `.${c}`).join('');
      const same = e.parentElement
        ? [...e.parentElement.children].filter(c => c.tagName === e.tagName) : [];
      if (same.length > 1) part += `:nth-of-type(${same.indexOf(e) + 1})`;
      parts.unshift(part);
    }
    return parts.join(' > ');
  };
  const words = (el) => (el.innerText || el.textContent || '').trim().replace(/\s+/g, ' ').slice(0, 40);
  const box = (r) => `x ${Math.round(r.left)}..${Math.round(r.right)}, y ${Math.round(r.top)}..${Math.round(r.bottom)}`;
  const shown = (el) => {
    const style = getComputedStyle(el);
    if (style.display === 'none' || style.visibility !== 'visible') return false;
    const r = el.getBoundingClientRect();
    return r.width > TOLERANCE && r.height > TOLERANCE;
  };
  const outOfFlow = (el) => {
    for (let e = el; e && e !== document.body; e = e.parentElement) {
      const style = getComputedStyle(e);
      if (['absolute', 'fixed'].includes(style.position)
          && (style.clip !== 'auto' || e.getBoundingClientRect().right < 0)) return true;
    }
    return false;
  };
  const SKIPPED = new Set(['option', 'script', 'style', 'template', 'br', 'title']);
  const inside = (el) => !SKIPPED.has(el.tagName.toLowerCase())
    && !(el.closest('svg') && el.tagName.toLowerCase() !== 'svg');

  const scrollWidth = document.documentElement.scrollWidth;
  if (scrollWidth > viewport) {
    problems.push({kind: 'page', selector: 'html', text: '',
                   detail: `the document is ${scrollWidth}px wide in a ${viewport}px viewport`});
  }

  const past = new Set();
  for (const el of document.body.querySelectorAll('*')) {
    if (!inside(el) || !shown(el) || outOfFlow(el)) continue;
    const r = el.getBoundingClientRect();
    if (r.right <= viewport + TOLERANCE && r.left >= -TOLERANCE) continue;
    past.add(el);
    let holder = el.parentElement;
    while (holder && !past.has(holder)) holder = holder.parentElement;
    if (!holder) {
      problems.push({kind: 'edge', selector: selector(el), text: words(el),
                     detail: `${Math.round(r.width)}px wide at ${box(r)}, past the ${viewport}px viewport`});
    }
  }

  const BLOCK = /^(block|flex|grid|table|list-item|flow-root|inline-block|inline-flex|inline-grid|inline-table)$/;
  for (const parent of document.body.querySelectorAll('header, header *, main, main *')) {
    if (!inside(parent) || parent.tagName.toLowerCase() === 'svg') continue;
    const children = [...parent.children].filter(c => inside(c) && shown(c) && !outOfFlow(c)
      && BLOCK.test(getComputedStyle(c).display)
      && !['absolute', 'fixed'].includes(getComputedStyle(c).position));
    if (children.length < 2 || children.length > 400) continue;
    const boxes = children.map(c => c.getBoundingClientRect());
    for (let i = 0; i < children.length; i++) {
      for (let j = i + 1; j < children.length; j++) {
        const a = boxes[i], b = boxes[j];
        const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
        const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
        if (w > TOLERANCE && h > TOLERANCE) {
          problems.push({kind: 'overlap', selector: selector(children[i]), text: words(children[i]),
                         detail: `at ${box(a)} overlaps ${selector(children[j])} at ${box(b)} by ${Math.round(w)}×${Math.round(h)}px`});
        }
      }
    }
  }

  for (const table of document.querySelectorAll('table')) {
    const head = table.tHead;
    if (!head || shown(head)) continue;
    for (const cell of table.querySelectorAll('td')) {
      if (shown(cell) && !cell.dataset.label && /^\s*\d[\d\s]*%?\s*$/.test(cell.innerText)) {
        problems.push({kind: 'unlabelled', selector: selector(cell), text: words(cell),
                       detail: 'a figure whose column heading is hidden, and no data-label names it'});
      }
    }
  }
  return problems;
}
"""


class LayoutProblem(TypedDict):
    kind: str
    selector: str
    detail: str
    text: str


def describe(problem: LayoutProblem) -> str:
    """One line for a failure message: what, which element, where, and its words."""
    text = f" «{problem['text']}»" if problem["text"] else ""
    return f"{problem['kind']} {problem['selector']}: {problem['detail']}{text}"
