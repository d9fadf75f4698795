// Faster but WRONG on an edge case: a plain object as the "seen" table inherits keys from
// Object.prototype, so the tags "constructor" and "__proto__" look already seen and are dropped.
function uniqueTags(rawTags) {
  const seen = {};
  const tags = [];
  for (const raw of rawTags) {
    const tag = normalizeTag(raw);
    if (tag !== '' && !seen[tag]) {
      seen[tag] = true;
      tags.push(tag);
    }
  }
  return tags;
}
