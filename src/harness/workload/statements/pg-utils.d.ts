// node-postgres's own conversion of a JavaScript value to a parameter's text (arrays as '{...}',
// dates, JSON); @types/pg does not declare this module.
declare module 'pg/lib/utils.js' {
  export function prepareValue(value: unknown): string | Buffer | null;
}
