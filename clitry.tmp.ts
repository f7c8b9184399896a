import { Command } from 'commander';
import { registerRedactCommand } from './cli/commands/redact.ts';
const program = new Command('vigil');
registerRedactCommand(program);
await program.parseAsync(process.argv);
