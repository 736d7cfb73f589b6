import type { Document } from 'mongodb';
import { PAGE_SIZE } from '../../../harness/workload/ecommerce/vocabulary.ts';

// Aggregation pipelines and pipeline updates of the MongoDB dialect, as data (tested without a
// server): seed 000's top-2 recommendations, seed 001's customer lookups by region and by name,
// and the single-document cart update.

/** Seed 000: products by average rating, then number of ratings, then id; top 2 with name and price. */
export function bestRatedPipeline(productIds: { readonly $in: readonly number[] } | { readonly $nin: readonly number[] }, limit = 2): Document[] {
  return [
    { $match: { productId: productIds } },
    { $group: { _id: '$productId', averageRating: { $avg: '$stars' }, ratings: { $sum: 1 } } },
    { $sort: { averageRating: -1, ratings: -1, _id: 1 } },
    { $limit: limit },
    { $lookup: { from: 'products', localField: '_id', foreignField: '_id', as: 'product' } },
    { $unwind: '$product' },
    { $project: { _id: 0, productId: '$_id', name: '$product.name', averageRating: { $round: ['$averageRating', 2] }, price: '$product.price' } },
  ];
}

/** The customer's own ratings with each product's category: what they liked, and what they rated at all. */
export function myRatingsPipeline(customerId: number): Document[] {
  return [
    { $match: { customerId } },
    { $lookup: { from: 'products', localField: 'productId', foreignField: '_id', as: 'product' } },
    { $unwind: '$product' },
    { $project: { _id: 0, productId: 1, stars: 1, categoryId: '$product.categoryId' } },
  ];
}

/** Seed 001's get_customers_detail_location: a region's customers by name. */
export function customersByRegionPipeline(region: string, limit = PAGE_SIZE): Document[] {
  return [
    { $match: { region } },
    { $sort: { name: 1, _id: 1 } },
    { $limit: limit },
    { $project: { _id: 0, customerId: '$_id', name: 1, email: 1, address: 1, region: 1 } },
  ];
}

const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Seed 001's get_customers_detail_name: customers whose name starts with `prefix` (the name index serves an anchored regex). */
export function customersByNamePipeline(prefix: string, limit = PAGE_SIZE): Document[] {
  return [
    { $match: { name: { $regex: `^${escapeRegex(prefix)}` } } },
    { $sort: { name: 1, _id: 1 } },
    { $limit: limit },
    { $project: { _id: 0, customerId: '$_id', name: 1, email: 1, address: 1, region: 1 } },
  ];
}

/** How many customers each region has (the summary seed 001's region tables were for). */
export function customersPerRegionPipeline(): Document[] {
  return [{ $group: { _id: '$region', customers: { $sum: 1 } } }, { $sort: { _id: 1 } }];
}

/**
 * add-to-cart as one atomic single-document update (an upsert with a pipeline): add the quantity
 * to the product's line, or append a line, and push the cart's expiry forward. Two steps (match
 * the line, else push) could let two racing adds of one product both append.
 */
export function addToCartUpdate(productId: number, quantity: number, now: Date, expiresAt: Date): Document[] {
  const items = { $ifNull: ['$items', []] };
  return [
    {
      $set: {
        items: {
          $cond: [
            { $in: [productId, { $map: { input: items, as: 'i', in: '$$i.productId' } }] },
            {
              $map: {
                input: items,
                as: 'i',
                in: {
                  $cond: [
                    { $eq: ['$$i.productId', productId] },
                    { productId: '$$i.productId', quantity: { $add: ['$$i.quantity', quantity] }, addedAt: now },
                    '$$i',
                  ],
                },
              },
            },
            { $concatArrays: [items, [{ productId, quantity, addedAt: now }]] },
          ],
        },
        createdAt: { $ifNull: ['$createdAt', now] },
        updatedAt: now,
        expiresAt,
      },
    },
  ];
}
