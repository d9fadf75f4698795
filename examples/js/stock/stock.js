// A warehouse's stock: the SKUs it holds and the ones already promised to orders.
'use strict';

class Stock {
  constructor(skus) {
    this.skus = [...skus]; // SKUs held, in the order they were received
    this.reserved = []; // SKUs promised to orders so far, in the order they were promised
  }

  /**
   * Reserves the SKUs of an order that are held and not reserved yet (each SKU once, even if
   * the order repeats it). Returns the SKUs it reserved, in the order's order.
   */
  reserve(order) {
    const granted = [];
    for (const sku of order) {
      if (this.skus.includes(sku) && !this.reserved.includes(sku)) {
        this.reserved.push(sku);
        granted.push(sku);
      }
    }
    return granted;
  }

  available() {
    return this.skus.filter((sku) => !this.reserved.includes(sku));
  }
}

module.exports = { Stock };
