import { readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { runCli } from '../support/cli.js';
import { tempDir } from '../support/temp.js';
import { writeTree } from '../support/trees.js';

const Cli = suite('spacedrive file validate (built binary)');

interface Out {
  job: { id: string; name: string; status: string; output: { checked: number; findings: Record<string, number> } };
  summary: { checked: number; errors: number; warnings: number; infos: number };
  findings: { path: string; check: string; severity: string; message: string; action: string }[];
}

Cli('validate a location: JSON findings with severities and actions, the job in the history, --job shows them again', () => {
  const t = tempDir();
  try {
    const data = path.join(t.dir, 'data');
    const files = path.join(t.dir, 'Docs');
    writeTree(files, { 'a.txt': 'alpha', 'b.txt': 'bravo', 'c.txt': 'charlie', 'sub/d.txt': 'delta' });
    utimesSync(path.join(files, 'c.txt'), 1_700_000_000, 1_700_000_000);
    assert.is(runCli(data, ['location', 'add', files, '--mode', 'content', '--quiet']).code, 0);
    rmSync(path.join(files, 'a.txt'));
    writeFileSync(path.join(files, 'b.txt'), 'bravo, longer now');
    const c = path.join(files, 'c.txt');
    const bytes = readFileSync(c);
    bytes[0] = 0x43; // 'C': same size
    writeFileSync(c, bytes);
    utimesSync(c, 1_700_000_000, 1_700_000_000);
    assert.is(statSync(c).mtimeMs, 1_700_000_000_000);

    const r = runCli(data, ['file', 'validate', '--location', 'Docs', '--mode', 'integrity', '--json']);
    assert.is(r.code, 0, r.stdout + r.stderr);
    const out = r.json<Out>();
    assert.equal([out.job.name, out.job.status], ['validate-files', 'completed']);
    assert.equal(out.findings.map((f) => [path.basename(f.path), f.check, f.severity]), [
      ['a.txt', 'missing', 'error'],
      ['c.txt', 'content-mismatch', 'error'],
      ['b.txt', 'size-changed', 'warning'],
    ]);
    assert.equal(out.summary, { checked: 5, unverified: 0, errors: 2, warnings: 1, infos: 0 });
    assert.ok(out.findings.every((f) => f.action.length > 0 && f.message.length > 0));

    const jobs = runCli(data, ['job', 'list', '--json']).json<{ id: string; name: string; status: string }[]>();
    assert.ok(jobs.some((j) => j.id === out.job.id && j.name === 'validate-files' && j.status === 'completed'));
    const again = runCli(data, ['file', 'validate', '--job', out.job.id.slice(0, 20), '--json']).json<Out>();
    assert.equal(again.findings, out.findings);

    const human = runCli(data, ['file', 'validate', path.join(files, 'b.txt'), path.join(t.dir, 'nowhere.txt')]);
    assert.is(human.code, 0, human.stderr);
    assert.match(human.stdout, /error\s+.*nowhere\.txt\n\s+does not exist, and is not in any location\n\s+→ check the path/);
    assert.match(human.stdout, /warning\s+.*b\.txt\n\s+size changed since it was indexed: 5 → 17 bytes/);

    const none = runCli(data, ['file', 'validate', '--json']);
    assert.is(none.code, 1);
    assert.is(none.json<{ error: { code: string } }>().error.code, 'VALIDATE_SOURCE');
    const notValidation = runCli(data, ['file', 'validate', '--job', jobs[0].id]);
    assert.is(notValidation.code, 1);
    assert.match(notValidation.stderr, /is not a validation \(it is a index-location job\)/);
  } finally {
    t.cleanup();
  }
});

Cli.run();
