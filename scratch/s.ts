import { Scenario } from '../src/harness/scenario/schema.ts';
import { z } from 'zod';
const r = Scenario.safeParse({ name: 'x', description: 'd', topology: { kind: 'pg-single-leader' }, workload: { duration: '10s', loop: {kind:'open', rate: 5} } });
console.log(JSON.stringify(r.success ? r.data : r.error.issues, null, 0));
const bad = Scenario.safeParse({ name: 'x', description: 'd', topology: { kind: 'pg-single-leader', replcas: 2 }, workload: { duration: '10x', loop: {kind:'open', rate: -5} } });
console.log(JSON.stringify(bad.error?.issues));
const js = z.toJSONSchema(Scenario, { io: 'input', unrepresentable: 'any' });
console.log(JSON.stringify(js).length);
