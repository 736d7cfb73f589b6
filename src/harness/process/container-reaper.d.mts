export type EngineEndpoint =
  | { readonly socketPath: string; readonly host?: undefined; readonly port?: undefined; readonly protocol?: undefined }
  | { readonly socketPath?: undefined; readonly host: string; readonly port: number; readonly protocol: 'http' | 'https' };
export interface Labelled {
  readonly id: string;
  readonly labels: Record<string, string>;
}
export interface LabelledResources {
  readonly containers: Labelled[];
  readonly networks: Labelled[];
  readonly volumes: Labelled[];
}
export interface Removed {
  containers: number;
  networks: number;
  volumes: number;
}
export const ENGINE_FILE: string;
export const RUN_LABEL: string;
export function dockerRequest(endpoint: EngineEndpoint, method: string, path: string, timeoutMs?: number): Promise<{ status: number; body: unknown }>;
export function listLabelled(endpoint: EngineEndpoint, label: string): Promise<LabelledResources>;
export function removeAll(endpoint: EngineEndpoint, found: LabelledResources): Promise<{ removed: Removed; problems: string[] }>;
export function reapRunContainers(endpoint: EngineEndpoint, runId: string, passes?: number): Promise<{ removed: Removed; problems: string[] }>;
export function recordedEngine(dir: string): EngineEndpoint | undefined;
