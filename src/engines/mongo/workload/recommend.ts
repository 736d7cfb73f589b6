import type { RecommendedProduct } from './documents.ts';
import { readOptions, type MongoOpContext } from './mongo-op-context.ts';
import { bestRatedPipeline as best, myRatingsPipeline as mine } from './pipelines.ts';

/**
 * Seed 000's Recommended_products.py: the best-rated products in categories the customer liked
 * (4+ stars) that they have not rated; the best-rated products overall fill any gap. Same rule
 * as the SQL dialect's RECOMMENDATIONS statement. Reads go to the primary: the result is written.
 */
export async function recommend(customerId: number, ctx: MongoOpContext): Promise<RecommendedProduct[]> {
  const options = { ...readOptions(ctx), readPreference: 'primary' as const };
  const ratings = ctx.db.collection('ratings');
  const rated = await ratings.aggregate<{ productId: number; stars: number; categoryId: number }>(mine(customerId), options).toArray();
  const ratedIds = rated.map((r) => r.productId);
  const liked = [...new Set(rated.filter((r) => r.stars >= 4).map((r) => r.categoryId))];
  let picked: RecommendedProduct[] = [];
  if (liked.length > 0) {
    const inLiked = await ctx.db.collection('products').find({ categoryId: { $in: liked } }, { ...options, projection: { _id: 1 } }).toArray();
    const candidates = inLiked.map((p) => p._id as unknown as number).filter((id) => !ratedIds.includes(id));
    if (candidates.length > 0) picked = await ratings.aggregate<RecommendedProduct>(best({ $in: candidates }), options).toArray();
  }
  if (picked.length < 2) {
    const exclude = [...ratedIds, ...picked.map((p) => p.productId)];
    picked = [...picked, ...(await ratings.aggregate<RecommendedProduct>(best({ $nin: exclude }, 2 - picked.length), options).toArray())];
  }
  return picked;
}
