// TEST ONLY: runs applyPlan or recoverJournal in a child process so that the
// kill tests can SIGKILL it (through the RVC_TEST_CRASH_AT hook) at a chosen
// step. Imports the transaction compiled by the test into RVC_TX_DIST.
//   node transaction-child.mjs apply|apply-async ROOT PLAN.json
//   node transaction-child.mjs recover ROOT [rollback]
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const [mode, root, arg] = process.argv.slice(2);
const dist = process.env.RVC_TX_DIST;
if (!dist || !mode || !root) {
  process.stderr.write('usage: RVC_TX_DIST=DIR node transaction-child.mjs apply|recover ROOT [PLAN.json|rollback]\n');
  process.exit(2);
}
const { applyPlan, applyPlanAsync, recoverJournal } = await import(pathToFileURL(path.join(dist, 'patch/transaction.js')).href);
if (mode === 'apply') {
  applyPlan(root, JSON.parse(readFileSync(arg, 'utf8')));
} else if (mode === 'apply-async') {
  await applyPlanAsync(root, JSON.parse(readFileSync(arg, 'utf8')));
} else {
  const r = recoverJournal(root, { rollback: arg === 'rollback' });
  process.stdout.write(`${JSON.stringify(r)}\n`);
}
