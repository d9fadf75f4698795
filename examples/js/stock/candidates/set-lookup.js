// Faster and correct: the held and reserved SKUs go into Sets once, so each check is O(1); every
// SKU reserved here is added to the set too, so a repeated SKU is reserved once.
reserve(order) {
  const held = new Set(this.skus);
  const taken = new Set(this.reserved);
  const granted = [];
  for (const sku of order) {
    if (held.has(sku) && !taken.has(sku)) {
      taken.add(sku);
      this.reserved.push(sku);
      granted.push(sku);
    }
  }
  return granted;
}
