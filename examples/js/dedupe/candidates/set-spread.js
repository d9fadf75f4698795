// Faster and correct: a Set keeps insertion order, so its first occurrences are already in order.
function uniqueTags(rawTags) {
  const unique = new Set(rawTags.map(normalizeTag));
  unique.delete('');
  return [...unique];
}
