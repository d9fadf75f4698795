// Tags for a small blog engine. They come from front matter and from a form, so they arrive in
// any case and spacing; a post shows each tag once, in the order the author first wrote it.
'use strict';

const MAX_TAG_LENGTH = 40;

/** "  Node JS " → "node-js": trimmed, lower case, inner spaces as dashes, at most 40 characters. */
function normalizeTag(raw) {
  return String(raw).trim().toLowerCase().replace(/\s+/g, '-').slice(0, MAX_TAG_LENGTH);
}

/** The normalised tags in first-seen order, without duplicates or empty tags. */
function uniqueTags(rawTags) {
  const tags = [];
  for (const raw of rawTags) {
    const tag = normalizeTag(raw);
    if (tag !== '' && !tags.includes(tag)) tags.push(tag);
  }
  return tags;
}

module.exports = { normalizeTag, uniqueTags };
