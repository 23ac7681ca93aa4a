// Runs every compiled uvu suite (.build/test/**/*.test.js) and ends with the line `N passed, N failed`.
// uvu prints its own totals; this adds the closing line CI reads and keeps uvu's exit status.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// uvu's package exports do not expose its bin; it sits beside the package.json.
const uvu = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../node_modules/uvu/bin.js');
const args = [uvu, '.build/test', '.*\\.test\\.js$', '--color', 'false', ...process.argv.slice(2)];
const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
let out = '';
child.stdout.on('data', (chunk) => {
  out += chunk;
  process.stdout.write(chunk);
});
child.on('close', (code) => {
  // eslint-disable-next-line no-control-regex
  const plain = out.replace(/\u001b\[[0-9;]*m/g, '');
  const total = Number(/Total:\s+(\d+)/.exec(plain)?.[1] ?? 0);
  const passed = Number(/Passed:\s+(\d+)/.exec(plain)?.[1] ?? 0);
  const skipped = Number(/Skipped:\s+(\d+)/.exec(plain)?.[1] ?? 0);
  const failed = total - passed - skipped;
  const broken = code !== 0 && failed === 0 ? 1 : failed; // a suite that crashed before reporting counts as a failure
  console.log(`\n${passed} passed, ${broken} failed${skipped ? `, ${skipped} skipped` : ''}`);
  process.exit(code === 0 && broken === 0 ? 0 : 1);
});
