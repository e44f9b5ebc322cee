/** The `rtems-virt-config` command line. */
import { Command, CommanderError } from 'commander';
import { readFileSync } from 'node:fs';
import { EXIT_USAGE, formatError } from './errors.js';
import { listCommand } from './list-command.js';
import { explainCommand } from './explain-command.js';
import { checkCommand } from './check-command.js';
import { patchCommand } from './patch-command.js';
import { demoCommand } from './demo-command.js';
import { bootCommand } from './boot-command.js';

function version(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    return pkg.version;
  } catch {
    return 'unknown';
  }
}

/** A repeatable option: `--rule a --rule b,c` gives ['a', 'b,c'] (split later). */
function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
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
    .option('--arch <cpu>', 'only this arch (repeat, or comma-separate, for several)', collect, [])
    .option('--bsp <name>', 'only this BSP (its arch, family and link list)')
    .option('--rule <id>', 'only this rule (repeat, or comma-separate, for several; see `list rules`)', collect, [])
    .option('--format <format>', 'stylish | json | sarif', 'stylish')
    .option('--fix', 'regenerate stale acinclude.m4 and preinstall.am (nothing else), then check')
    .action(async (tree: string, opts) => exit(await checkCommand(tree, opts)));

  program
    .command('patch')
    .description('add <arch>virt to a tree: split the score into libcpu, wire autotools, create the BSP (exit 0 done, 1 refused, 2 usage)')
    .argument('[tree]', 'top of the RTEMS source tree', '.')
    .option('--arch <cpu>', 'the CPU whose <arch>virt model and BSP to add (supported: i386)')
    .option('--dry-run', 'print the unified diff of every file it would write, and write nothing')
    .option('--force', 'patch over uncommitted changes in the files it touches')
    .option('--json', 'print a JSON summary of the plan')
    .option('--remove-enable-paravirt', 'also remove the --enable-paravirt option where the tree has it')
    .action(async (tree: string, opts) => exit(await patchCommand(tree, opts)));

  program
    .command('boot')
    .description('smoke-boot executables on the bundled emulated target and classify each result')
    .argument('<exe...>', 'executables built for the BSP')
    .option('--bsp <name>', 'the BSP the executables were built for (i386virt)')
    .option('--backend <name>', 'v86 (default, nothing to install) or qemu (qemu-system-i386)')
    .option('--timeout <seconds>', 'per executable (default 180)')
    .option('--jobs <n>', 'boots at a time (default: the number of cores)')
    .option('--shard <i/n>', 'run only slice i of n (1-based), for CI matrices')
    .option('--report <format>', 'json or junit')
    .option('--report-file <file>', 'where to write the report')
    .option('--log-dir <dir>', 'directory for the per-executable console logs (default: a new temporary directory)')
    .option('--fresh', 'v86: start a new emulator for every executable instead of resetting a finished one')
    .action(async (exes: string[], opts) => exit(await bootCommand(exes, opts)));

  program
    .command('demo')
    .description('the main job on the bundled fixture tree: check, patch --arch i386, check, explain, build and boot i386virt')
    .option('--backend <name>', 'v86 (default) or qemu')
    .action(async (opts) => exit(await demoCommand(opts)));

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
