// Removes every container, network and volume that carries a run's label, through the Docker
// Engine API itself (node:http, no client library): the run's watchdog runs it after the harness
// died (kill -9 included), so it must load in milliseconds without a TypeScript loader, and it
// is faultline's own stand-in for testcontainers' reaper image, which cannot be pulled here.
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The file in a run directory that says where the run's engine answers (written by the harness). */
export const ENGINE_FILE = 'container-engine.json';
export const RUN_LABEL = 'faultline.run';

/** One Docker Engine API call; resolves to the status and the parsed body (or its text). */
export function dockerRequest(endpoint, method, path, timeoutMs = 10_000) {
  return new Promise((resolve, reject) => {
    const options = endpoint.socketPath
      ? { socketPath: endpoint.socketPath, path, method }
      : { host: endpoint.host, port: endpoint.port, path, method };
    const send = endpoint.protocol === 'https' ? httpsRequest : httpRequest;
    const req = send({ ...options, headers: { 'Content-Type': 'application/json' }, timeout: timeoutMs }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () => {
        let body = text;
        try {
          body = text ? JSON.parse(text) : undefined;
        } catch {
          // Not JSON: keep the text (an error message).
        }
        resolve({ status: res.statusCode ?? 0, body });
      });
    });
    req.on('timeout', () => req.destroy(new Error(`${method} ${path}: no answer from the engine within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end();
  });
}

const filter = (labels) => encodeURIComponent(JSON.stringify({ label: labels }));

/** What carries the label (`key` or `key=value`): ids of containers and networks, names of volumes, and the labels of each. */
export async function listLabelled(endpoint, label) {
  const get = async (path) => {
    const { status, body } = await dockerRequest(endpoint, 'GET', path);
    if (status !== 200) throw new Error(`GET ${path}: ${status} ${typeof body === 'string' ? body : JSON.stringify(body)}`);
    return body;
  };
  const containers = (await get(`/containers/json?all=1&filters=${filter([label])}`)).map((c) => ({ id: c.Id, labels: c.Labels ?? {} }));
  const networks = (await get(`/networks?filters=${filter([label])}`)).map((n) => ({ id: n.Id, labels: n.Labels ?? {} }));
  const volumes = ((await get(`/volumes?filters=${filter([label])}`)).Volumes ?? []).map((v) => ({ id: v.Name, labels: v.Labels ?? {} }));
  return { containers, networks, volumes };
}

/** Removes what `listLabelled` found: containers first (killed, with their anonymous volumes), then networks and volumes. */
export async function removeAll(endpoint, found) {
  const removed = { containers: 0, networks: 0, volumes: 0 };
  const problems = [];
  const remove = async (kind, path) => {
    try {
      const { status, body } = await dockerRequest(endpoint, 'DELETE', path, 30_000);
      // 404: already gone (removed by the harness, or by a second pass).
      if (status < 300) removed[kind]++;
      else if (status !== 404) problems.push(`DELETE ${path}: ${status} ${typeof body === 'object' ? body?.message : body}`);
    } catch (error) {
      problems.push(`DELETE ${path}: ${error.message}`);
    }
  };
  await Promise.all(found.containers.map((c) => remove('containers', `/containers/${c.id}?force=1&v=1`)));
  await Promise.all(found.networks.map((n) => remove('networks', `/networks/${n.id}`)));
  await Promise.all(found.volumes.map((v) => remove('volumes', `/volumes/${encodeURIComponent(v.id)}?force=1`)));
  return { removed, problems };
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Removes everything labelled with the run's id. A request the harness sent just before it died
 * (a container being created) may still complete inside the engine, so it looks again until a
 * pass finds nothing, a few times.
 */
export async function reapRunContainers(endpoint, runId, passes = 5) {
  const total = { containers: 0, networks: 0, volumes: 0 };
  const problems = [];
  for (let pass = 0; pass < passes; pass++) {
    let found;
    try {
      found = await listLabelled(endpoint, `${RUN_LABEL}=${runId}`);
    } catch (error) {
      problems.push(error.message);
      await sleep(500);
      continue;
    }
    if (found.containers.length + found.networks.length + found.volumes.length === 0 && pass > 0) break;
    const { removed, problems: failed } = await removeAll(endpoint, found);
    for (const kind of Object.keys(total)) total[kind] += removed[kind];
    problems.push(...failed);
    await sleep(pass === 0 ? 300 : 1_000);
  }
  return { removed: total, problems };
}

/** The engine a run directory recorded, or undefined when the run made no container. */
export function recordedEngine(dir) {
  try {
    return JSON.parse(readFileSync(join(dir, ENGINE_FILE), 'utf8'));
  } catch {
    return undefined;
  }
}
