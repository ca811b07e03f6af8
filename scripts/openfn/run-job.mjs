// Runs an OpenFn job file UNCHANGED with @openfn/runtime, without @openfn/cli/@openfn/compiler
// (not on the npm registry reachable here). What it does instead of the compiler:
//  1. imports every function the adaptor exports (@openfn/language-http, the version in
//     package.json) and makes them the job's globals, as the compiler's import statement would;
//  2. evaluates the job source once, with `state` bound to the initial state (jobs of this era
//     read state.configuration at top level), recording each operation a top-level call
//     returns; an operation passed as an argument to another call is dropped from the list, so
//     the list is the top-level statements in order, as the compiler's `export default [...]`;
//  3. hands that array to @openfn/runtime's run() as the job's expression, with the state.
// Usage: node run-job.mjs JOB.js STATE.json  (prints the log and the final state's summary)
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import run from '@openfn/runtime';

const require = createRequire(import.meta.url);
const loaded = require('@openfn/language-http');
const adaptor = loaded.Adaptor ?? loaded; // 3.x and 4.x are CommonJS: its functions are under `Adaptor`

const [jobPath, statePath] = process.argv.slice(2);
const source = readFileSync(jobPath, 'utf8');
const state = JSON.parse(readFileSync(statePath, 'utf8'));

let collecting = true;
const operations = [];
const names = Object.keys(adaptor).filter(k => typeof adaptor[k] === 'function');
const wrapped = names.map(name => (...args) => {
  const op = adaptor[name](...args);
  if (collecting) {
    for (const arg of args) {
      const i = operations.indexOf(arg);
      if (i >= 0) operations.splice(i, 1);
    }
    if (typeof op === 'function') operations.push(op);
  }
  return op;
});
// eslint-disable-next-line no-new-func
new Function(...names, 'state', source)(...wrapped, state);
collecting = false;
console.log(`[runner] ${jobPath}: ${operations.length} top-level operations`);

const plan = { workflow: { steps: [{ id: 'job', expression: operations }] } };
// stateLimitMb 0 skips the runtime's final-state size check, whose JSON stream cannot walk the
// axios objects language-http leaves in state (it fails with 'Readable Stream is in flowing mode').
const final = await run(plan, state, { strict: false, stateLimitMb: 0 });
const summary = { ...final };
delete summary.configuration;
console.log('[runner] final state keys:', Object.keys(final || {}).join(', '));
console.log('[runner] final data:', JSON.stringify(final && final.data, null, 1).slice(0, 3000));
