// Faster but WRONG on an edge case: only ASCII whitespace is collapsed, so a non-breaking space
// or an em space inside the text survives (trim() still removes them at the ends).
function collapseWhitespace(text) {
  return text.replace(/[ \t\r\n]+/g, ' ').trim();
}
