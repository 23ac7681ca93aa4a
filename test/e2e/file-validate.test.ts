import { readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { runCli, spawnCli } from '../support/cli.js';
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

Cli('kill -9 mid-validation leaves a running job; resumed, it records every finding once', async () => {
  const t = tempDir();
  try {
    const data = path.join(t.dir, 'data');
    const files = path.join(t.dir, 'Many');
    const tree: Record<string, string> = {};
    for (let i = 0; i < 6000; i++) tree[`d${i % 20}/f${i}.txt`] = `file ${i}`;
    writeTree(files, tree);
    assert.is(runCli(data, ['location', 'add', files, '--mode', 'content', '--quiet']).code, 0);
    const deleted: string[] = [];
    for (let i = 0; i < 6000; i += 10) {
      rmSync(path.join(files, `d${i % 20}/f${i}.txt`));
      deleted.push(path.join(files, `d${i % 20}/f${i}.txt`));
    }

    const victim = spawnCli(data, ['file', 'validate', '--location', 'Many', '--mode', 'integrity', '--json']);
    const libraries = path.join(data, 'libraries');
    const db = new Database(path.join(libraries, readdirSync(libraries).find((n) => n.endsWith('.sdlibrary'))!, 'library.db'), { readonly: true });
    try {
      const findings = db.prepare('SELECT count(*) FROM validation_findings').pluck();
      const deadline = Date.now() + 60_000;
      while ((findings.get() as number) === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
      victim.kill('SIGKILL');
      await new Promise((r) => victim.once('exit', r));
      const recorded = findings.get() as number;
      assert.ok(recorded > 0 && recorded < deleted.length, `killed after the first batch and before the end (${recorded} findings)`);
    } finally {
      db.close();
    }
    const jobs = runCli(data, ['job', 'list', '--json']).json<{ id: string; name: string; status: string }[]>();
    const job = jobs.find((j) => j.name === 'validate-files')!;
    assert.is(job.status, 'running', 'the killed process left its job running');
    const resumed = runCli(data, ['job', 'resume', job.id, '--json']);
    assert.is(resumed.code, 0, resumed.stdout + resumed.stderr);
    const out = runCli(data, ['file', 'validate', '--job', job.id, '--json']).json<Out>();
    assert.is(out.job.status, 'completed');
    assert.equal(out.findings.map((f) => f.path).sort(), deleted.sort(), 'every deleted file once, nothing else');
    assert.is(out.summary.checked, 6000 + 20);
    assert.is(runCli(data, ['verify', '--json']).json<{ equal: boolean }>().equal, true);
  } finally {
    t.cleanup();
  }
});

Cli.run();
