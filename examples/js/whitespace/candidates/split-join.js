// Faster and correct: split on whitespace runs, drop the empty ends, join with single spaces.
function collapseWhitespace(text) {
  return text
    .split(/\s+/)
    .filter((word) => word !== '')
    .join(' ');
}
