// Faster but WRONG on an edge case: the reserved set is built once and never updated, so an
// order that repeats a SKU reserves it twice (and pushes it onto this.reserved twice).
reserve(order) {
  const held = new Set(this.skus);
  const taken = new Set(this.reserved);
  const granted = [];
  for (const sku of order) {
    if (held.has(sku) && !taken.has(sku)) {
      this.reserved.push(sku);
      granted.push(sku);
    }
  }
  return granted;
}
