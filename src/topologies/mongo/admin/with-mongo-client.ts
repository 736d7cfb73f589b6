import { setTimeout as sleep } from 'node:timers/promises';
import { MongoClient, type MongoClientOptions } from 'mongodb';
import type { Endpoint } from '../../topology.ts';
import { directUri } from './mongo-uri.ts';

const ADMIN_OPTIONS: MongoClientOptions = {
  serverSelectionTimeoutMS: 2_000,
  connectTimeoutMS: 2_000,
  socketTimeoutMS: 30_000,
  appName: 'faultline-admin',
  // A command the harness sends once must not be re-sent behind its back.
  retryWrites: false,
  retryReads: false,
};

/** One short-lived direct connection to one server. */
export async function withMongoClient<T>(endpoint: Endpoint, work: (client: MongoClient) => Promise<T>, auth = true): Promise<T> {
  const client = new MongoClient(directUri(endpoint, auth), ADMIN_OPTIONS);
  try {
    await client.connect();
    return await work(client);
  } finally {
    await client.close(true).catch(() => {});
  }
}

export async function adminCommand(endpoint: Endpoint, command: Record<string, unknown>, auth = true): Promise<Record<string, unknown>> {
  return withMongoClient(endpoint, (client) => client.db('admin').command(command), auth);
}

/** Polls until `ready` holds or the deadline passes; the last error is in the message. */
export async function waitUntil(what: string, ready: () => Promise<boolean>, timeoutMs: number, everyMs = 200): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    try {
      if (await ready()) return;
      last = '';
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    await sleep(everyMs);
  }
  throw new Error(`${what} did not happen within ${timeoutMs} ms${last ? ` (last error: ${last})` : ''}`);
}
