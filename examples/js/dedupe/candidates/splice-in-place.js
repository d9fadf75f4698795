// Hangs: de-duplicates in place with splice, but the "skip empty tags" branch forgets to advance
// `i`, so any tag that is only whitespace loops forever.
function uniqueTags(rawTags) {
  const tags = rawTags.map(normalizeTag);
  const seen = new Set();
  let i = 0;
  while (i < tags.length) {
    if (tags[i] === '') continue;
    if (seen.has(tags[i])) {
      tags.splice(i, 1);
    } else {
      seen.add(tags[i]);
      i++;
    }
  }
  return tags;
}
