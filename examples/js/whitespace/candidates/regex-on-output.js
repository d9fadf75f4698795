// Slower (but correct): asks a regex whether the output already ends in a space, which scans
// the whole growing string on every whitespace character.
function collapseWhitespace(text) {
  let out = '';
  for (const ch of text) {
    if (WHITESPACE.test(ch)) {
      if (out !== '' && !/ $/.test(out)) out += ' ';
    } else {
      out += ch;
    }
  }
  return out.replace(/ $/, '');
}
