// Test files that get a fresh process each (vitest.config.ts, project "isolated"): everything that
// starts servers, processes or containers (a handle one leaves open must die with it), and unit
// tests that replace a module (vi.mock needs the module loaded afresh). The other unit tests share
// a process per worker. test/unit/support/isolated-files.test.ts keeps vi.mock users listed here.

export const ISOLATED_DIRS = ['test/integration/', 'test/browser/'] as const;
export const ISOLATED_FILES = ['test/unit/report/mark-latest-fallback.test.ts', 'test/unit/fault/add-fault-kind.test.ts'] as const;

/** The same, as vitest include globs. */
export const ISOLATED_GLOBS = [...ISOLATED_DIRS.map((dir) => `${dir}**/*.test.ts`), ...ISOLATED_FILES];

export const isIsolated = (file: string): boolean => ISOLATED_DIRS.some((dir) => file.startsWith(dir)) || (ISOLATED_FILES as readonly string[]).includes(file);
