// Plain-text cleanup for search snippets: pasted text arrives with tabs, line breaks, runs of
// spaces and non-breaking spaces; a snippet shows words separated by single spaces.
'use strict';

const WHITESPACE = /\s/;

/** Every run of whitespace (any Unicode space, tab or line break) as one space; none at either end. */
function collapseWhitespace(text) {
  let out = '';
  for (const ch of text) {
    if (WHITESPACE.test(ch)) {
      if (out !== '' && out[out.length - 1] !== ' ') out += ' ';
    } else {
      out += ch;
    }
  }
  return out.endsWith(' ') ? out.slice(0, -1) : out;
}

/** A snippet of at most `max` characters, cut at a word boundary. */
function snippet(text, max = 160) {
  const clean = collapseWhitespace(text);
  if (clean.length <= max) return clean;
  const cut = clean.lastIndexOf(' ', max);
  return clean.slice(0, cut > 0 ? cut : max) + '…';
}

module.exports = { collapseWhitespace, snippet };
