// Org chart: parent[i] is the manager of employee i (-1 for the top). The depth of an employee is
// the number of managers above them.
'use strict';

function depthOf(parent, i) {
  return parent[i] < 0 ? 0 : 1 + depthOf(parent, parent[i]);
}

/** The depth of every employee. Naive recursion: a very long chain overflows the call stack. */
function depths(parent) {
  return parent.map((_, i) => depthOf(parent, i));
}

module.exports = { depths };
