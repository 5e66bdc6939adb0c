// `kiln doctor [dir]`: checks, in order and each with its fix, that a build would start.
import type { Command } from 'commander';
import { addRemoteOptions } from '../remote-options';
import type { DoctorFlags } from './run';

export function registerDoctorCommand(program: Command): void {
  const doctor = program
    .command('doctor')
    .description('Check, in order and each with its fix, that `kiln build` (or --local) would start')
    .argument('[dir]', 'project directory', '.')
    .option('--local', 'check for `kiln build --local`: the docker engine and builder instead of AWS');
  addRemoteOptions(doctor).action(async (dir: string, flags: DoctorFlags) => {
    const { runDoctor } = require('./run') as typeof import('./run');
    process.exitCode = await runDoctor(dir, flags);
  });
}
