// Hangs: scans words and gaps with index loops, but the gap loop's "fast" ASCII test
// (code <= 32) disagrees with the word loop's /\s/ on non-ASCII spaces such as U+00A0: neither
// loop advances, and the outer loop spins forever.
function collapseWhitespace(text) {
  const words = [];
  let i = 0;
  while (i < text.length) {
    let j = i;
    while (j < text.length && !WHITESPACE.test(text[j])) j++;
    if (j > i) words.push(text.slice(i, j));
    while (j < text.length && text.charCodeAt(j) <= 32) j++;
    i = j;
  }
  return words.join(' ');
}
