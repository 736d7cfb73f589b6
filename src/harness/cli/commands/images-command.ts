import { buildPgImage } from '../../../topologies/postgres/containers/image/build-pg-image.ts';
import { engineProblem, imagesWithLabel } from '../../containers/docker-cli.ts';
import { LABEL, projectImageTag } from '../../../topologies/postgres/containers/image/pg-image-inputs.ts';
import { ENGINES } from '../../../engines/registry/engine-registry.ts';
import { ExitCode, UsageError } from '../../output/exit-codes.ts';

// `faultline images [list]` and `faultline images build`: the container images faultline builds
// on this machine (no registry needed), and what each engine says of its own image (MongoDB's cannot be built here).

type Print = (line: string) => void;
const out: Print = (line) => process.stdout.write(`${line}\n`);

export async function imagesCommand(action: 'list' | 'build', options: { readonly base: 'debian' | 'official'; readonly force: boolean; readonly fresh: boolean }): Promise<number> {
  await requireEngine();
  if (action === 'list') return listImages();
  await buildPgImage(options);
  return ExitCode.ok;
}

async function requireEngine(): Promise<void> {
  const problem = await engineProblem();
  if (problem) throw new UsageError(`no Docker engine answers (${problem}): run \`bash .ci/setup\` (Debian, root) or start dockerd, then retry`);
}

export async function listImages(print: Print = out): Promise<number> {
  const current = projectImageTag();
  const built = await imagesWithLabel(LABEL.kind);
  print('Images built by faultline on this machine:');
  if (built.length === 0) print('  (none)');
  for (const image of built) {
    const name = image.repoTags[0] ?? image.id.slice(7, 19);
    const kind = image.labels[LABEL.kind] ?? '?';
    const base = image.labels[LABEL.base] ? `, base ${image.labels[LABEL.base]}` : '';
    const mark = image.repoTags.includes(current) ? '  <- current' : '';
    print(`  ${name.padEnd(40)} ${kind}${base}, ${(image.size / 1e6).toFixed(0)} MB, ${image.created.slice(0, 16).replace('T', ' ')}${mark}`);
  }
  // Each engine says what it has here: PostgreSQL's is built on this machine, MongoDB's cannot be.
  for (const engine of ENGINES) if (engine.imageStatus) print(await engine.imageStatus());
  return ExitCode.ok;
}
