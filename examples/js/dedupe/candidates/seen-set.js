// Faster and correct: a Set answers "seen before?" in O(1) instead of scanning the output.
function uniqueTags(rawTags) {
  const seen = new Set();
  const tags = [];
  for (const raw of rawTags) {
    const tag = normalizeTag(raw);
    if (tag !== '' && !seen.has(tag)) {
      seen.add(tag);
      tags.push(tag);
    }
  }
  return tags;
}
