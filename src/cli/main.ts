/** The `rtems-virt-config` command line. */
import { Command, CommanderError } from 'commander';
import { readFileSync } from 'node:fs';
import { EXIT_USAGE, formatError } from './errors.js';
import { listCommand } from './list-command.js';
import { explainCommand } from './explain-command.js';
import { checkCommand } from './check-command.js';

function version(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    return pkg.version;
  } catch {
    return 'unknown';
  }
}

export function buildProgram(exit: (code: number) => void): Command {
  const program = new Command('rtems-virt-config')
    .description('Model, check and patch autoconf-era RTEMS source trees for paravirtualized <arch>virt BSPs')
    .version(version())
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();

  program
    .command('list')
    .description('list what a tree holds')
    .argument('<what>', 'bsps | arches | rules')
    .argument('[tree]', 'top of the RTEMS source tree', '.')
    .option('--json', 'print JSON')
    .action((what: string, tree: string, opts: { json?: boolean }) => exit(listCommand(what, tree, opts)));

  program
    .command('explain')
    .description('follow a BSP name through configure: cfg chain, CPU model, conditionals, libcpu objects, libbsp link list')
    .argument('[tree]', 'top of the RTEMS source tree', '.')
    .option('--bsp <name>', 'the BSP (as in --enable-rtemsbsp=NAME)')
    .option('--arch <cpu>', 'the target CPU, when a BSP name exists for several')
    .option('--configure <line>', 'a pasted configure line, e.g. "--target=i386-rtems4.11 --enable-rtemsbsp=pc486"')
    .option('--json', 'print the explain JSON')
    .action((tree: string, opts) => exit(explainCommand(tree, opts)));

  program
    .command('check')
    .description('apply the paravirtualization layout rulebook to a tree (exit 0 clean, 1 errors, 2 usage)')
    .argument('[tree]', 'top of the RTEMS source tree', '.')
    .option('--arch <cpu...>', 'only these arches (repeat or comma-separate)')
    .option('--bsp <name>', 'only this BSP (its arch, family and link list)')
    .option('--rule <id...>', 'only these rules (see `list rules`)')
    .option('--format <format>', 'stylish | json | sarif', 'stylish')
    .option('--fix', 'regenerate stale acinclude.m4 and preinstall.am (nothing else), then check')
    .action(async (tree: string, opts) => exit(await checkCommand(tree, opts)));

  return program;
}

export async function main(argv: string[]): Promise<number> {
  let code = 0;
  const program = buildProgram((c) => {
    code = c;
  });
  try {
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (e) {
    if (e instanceof CommanderError) {
      return e.exitCode === 0 ? 0 : EXIT_USAGE;
    }
    process.stderr.write(`${formatError(e)}\n`);
    return EXIT_USAGE;
  }
}
