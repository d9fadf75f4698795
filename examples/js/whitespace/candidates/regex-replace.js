// Faster and correct: one regex pass; String#trim removes exactly the characters \s matches.
function collapseWhitespace(text) {
  return text.replace(/\s+/g, ' ').trim();
}
