import { spawnSync } from 'node:child_process';
import type { Command } from 'commander';
import { buildProgram } from '../../../../../lib/cli';
import { completionScript } from '../../../../../lib/commands/completion/run';

const program = buildProgram();

/** Every command and every flag of each, read from commander independently of the generator. */
function everyFlag(root: Command): { command: string; flags: string[] }[] {
  return [root, ...root.commands].map((command) => ({
    command: command.name(),
    flags: command
      .createHelp()
      .visibleOptions(command)
      .flatMap((option) => [option.long, option.short].filter((flag): flag is string => Boolean(flag))),
  }));
}

test.each(['bash', 'zsh', 'fish'] as const)('the %s script names every command and every option', (shell) => {
  const script = completionScript(shell, program);
  const all = everyFlag(program);
  expect(all.length).toBeGreaterThan(8);
  for (const { command, flags } of all) {
    if (command !== 'kiln') expect(script).toMatch(new RegExp(`\\b${command}\\b`));
    for (const flag of flags) {
      // fish writes --name as `-l name` and -n as `-s n`.
      const written =
        shell === 'fish' ? (flag.startsWith('--') ? `-l ${flag.slice(2)}` : `-s ${flag.slice(1)}`) : flag;
      expect({ command, flag, found: script.includes(written) }).toEqual({ command, flag, found: true });
    }
  }
});

/** What bash offers for the words typed so far (the last one being completed). */
function bashComplete(...words: string[]): string[] {
  const script = completionScript('bash', program);
  const line = ['kiln', ...words].map((word) => `'${word}'`).join(' ');
  const run = spawnSync(
    'bash',
    [
      '-c',
      `${script}\nCOMP_WORDS=(${line}); COMP_CWORD=${words.length}; _kiln; printf '%s\\n' "\${COMPREPLY[@]}"`,
    ],
    { encoding: 'utf8' },
  );
  expect(run.stderr).toBe('');
  return run.stdout.split('\n').filter(Boolean);
}

test('bash completes commands, then that command’s own options', () => {
  expect(bashComplete('bu')).toEqual(['build', 'builds']);
  expect(bashComplete('build', '--as')).toEqual(['--async']);
  expect(bashComplete('logs', '--f')).toEqual(['--follow']);
  // An option of another command is not offered.
  expect(bashComplete('status', '--fo')).toEqual([]);
});

test('the scripts are plain text: no control characters, and bash parses its own', () => {
  for (const shell of ['bash', 'zsh', 'fish'] as const) {
    // biome-ignore lint/suspicious/noControlCharactersInRegex: looking for them is the point
    expect(completionScript(shell, program)).not.toMatch(/[\u0000-\u0008\u000b-\u001f]/);
  }
  const parsed = spawnSync('bash', ['-n'], { input: completionScript('bash', program), encoding: 'utf8' });
  expect(parsed.status).toBe(0);
});
