import type { ClientSession, Db, ReadConcernLevel, ReadPreferenceMode, WriteConcern } from 'mongodb';

/** What a MongoDB operation runs against: the worker's connection, and the scenario's consistency settings. */
export interface MongoOpContext {
  readonly db: Db;
  /** The worker's causally consistent session, when the scenario asks for one. */
  readonly session: ClientSession | undefined;
  readonly readPreference: ReadPreferenceMode;
  readonly readConcern: ReadConcernLevel;
  readonly writeConcern: WriteConcern;
}

/** Options every read passes: the session (if any), read preference and read concern. */
export function readOptions(ctx: MongoOpContext): { session?: ClientSession; readPreference: ReadPreferenceMode; readConcern: { level: ReadConcernLevel } } {
  return { ...(ctx.session ? { session: ctx.session } : {}), readPreference: ctx.readPreference, readConcern: { level: ctx.readConcern } };
}

export function writeOptions(ctx: MongoOpContext): { session?: ClientSession; writeConcern: WriteConcern } {
  return { ...(ctx.session ? { session: ctx.session } : {}), writeConcern: ctx.writeConcern };
}
