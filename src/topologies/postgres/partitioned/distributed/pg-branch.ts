import type pg from 'pg';
import { isOutcomeUnknown, shouldRollBack, sqlState } from '../../../../harness/workload/ecommerce/classify-error.ts';
import { quoteLiteral } from '../partition-ddl.ts';
import type { Branch, Vote } from './two-phase-commit.ts';

// One participant's part of a two-phase transaction on a real PostgreSQL session: a local
// transaction of its own writes, then PREPARE TRANSACTION, which makes the part durable (it
// survives a crash of the node) while still invisible and undecided.

/** Runs the branch's writes inside its transaction; returns a refusal ("out-of-stock") to vote no. */
export type BranchWork = (client: pg.ClientBase) => Promise<string | undefined>;

/** SQLSTATE undefined_object: "prepared transaction with identifier ... does not exist". */
const NO_SUCH_PREPARED = '42704';

export function pgBranch(node: string, client: pg.ClientBase, work: BranchWork, release: (healthy: boolean) => void): Branch {
  let healthy = true;
  const fail = (error: unknown) => {
    if (isOutcomeUnknown(error)) healthy = false;
    throw error;
  };
  return {
    node,
    async prepare(gid: string): Promise<Vote> {
      try {
        await client.query('BEGIN');
        const refusal = await work(client);
        if (refusal !== undefined) {
          await client.query('ROLLBACK');
          return { prepared: false, maybePrepared: false, refusal };
        }
      } catch (error) {
        if (shouldRollBack(error)) await client.query('ROLLBACK').catch(() => undefined);
        else healthy = false;
        return { prepared: false, maybePrepared: false, error };
      }
      try {
        await client.query(`PREPARE TRANSACTION ${quoteLiteral(gid)}`);
        return { prepared: true };
      } catch (error) {
        const unknown = isOutcomeUnknown(error);
        if (unknown) healthy = false;
        return { prepared: false, maybePrepared: unknown, error };
      }
    },
    async commitPrepared(gid: string): Promise<void> {
      await client.query(`COMMIT PREPARED ${quoteLiteral(gid)}`).catch(fail);
    },
    async rollbackPrepared(gid: string): Promise<void> {
      await client.query(`ROLLBACK PREPARED ${quoteLiteral(gid)}`).catch((error: unknown) => {
        if (sqlState(error) !== NO_SUCH_PREPARED) fail(error);
      });
    },
    release: () => release(healthy),
  };
}
