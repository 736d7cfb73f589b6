import { closest } from '../scenario/suggest.ts';
import type { CliCommand } from './commands/cli-command.ts';

// yargs says "Unknown argument: frob" or "Not enough non-option arguments: got 0, need at least
// 1". These rewrites name the argument, the command, and what to type instead.

export function usageMessage(message: string, argv: readonly string[], commands: readonly CliCommand[]): string {
  const first = argv[0];
  const command = commands.find((c) => c.name === first);
  const help = command ? `faultline ${command.name} --help` : 'faultline --help';
  const names = commands.map((c) => c.name);

  const unknown = /^Unknown arguments?: (.+)$/.exec(message);
  if (unknown) {
    if (!command && first !== undefined && !first.startsWith('-')) {
      return `unknown command "${first}"${didYouMean(first, names)}; commands are ${names.join(', ')} (see faultline --help)`;
    }
    const name = unknown[1]!.split(', ')[0]!;
    if (isOption(name, argv)) {
      const flag = name.length === 1 ? `-${name}` : `--${name}`;
      const options = command?.options ?? ['help', 'version'];
      return `unknown option ${flag}${didYouMean(name, options, '--')} (see ${help})`;
    }
    return `unexpected argument "${name}"${command ? ` for ${command.name}; usage: ${command.synopsis}` : ''}`;
  }
  if (/^Not enough non-option arguments/.test(message) && command) {
    return `${command.name} needs ${command.needs ?? 'an argument'}; usage: ${command.synopsis}`;
  }
  if (/choose a command/.test(message) && first?.startsWith('-')) {
    return `unknown option ${first}; choose a command first: ${names.join(', ')} (see faultline --help)`;
  }
  if (/^Not enough non-option arguments/.test(message) || /choose a command/.test(message)) {
    return `choose a command: ${names.join(', ')} (see faultline --help)`;
  }
  const missingValue = /^Not enough arguments following: (.+)$/.exec(message);
  if (missingValue) {
    const option = missingValue[1]!;
    return `--${option} needs a value${option === 'set' ? ', e.g. --set workload.duration=10s' : ''} (see ${help})`;
  }
  return `${message} (see ${help})`;
}

function isOption(name: string, argv: readonly string[]): boolean {
  return argv.some((arg) => arg === `--${name}` || arg.startsWith(`--${name}=`) || arg === `-${name}` || arg === `--no-${name}`);
}

function didYouMean(word: string, candidates: readonly string[], prefix = ''): string {
  const suggestion = closest(word, candidates);
  return suggestion ? ` (did you mean "${prefix}${suggestion}"?)` : '';
}
