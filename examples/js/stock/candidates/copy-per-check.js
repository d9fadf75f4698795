// Correct but slower: copies both lists for every SKU of the order before scanning them.
reserve(order) {
  const granted = [];
  for (const sku of order) {
    if ([...this.skus].includes(sku) && ![...this.reserved].includes(sku)) {
      this.reserved.push(sku);
      granted.push(sku);
    }
  }
  return granted;
}
