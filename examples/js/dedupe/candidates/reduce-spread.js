// Slower (but correct): the same linear search, plus a fresh copy of the result for every new tag.
function uniqueTags(rawTags) {
  return rawTags.map(normalizeTag).reduce((tags, tag) => (tag === '' || tags.includes(tag) ? tags : [...tags, tag]), []);
}
