import { Command } from 'clipanion';
import { SpacedriveCommand } from '../base-command.js';

export class RebuildCommand extends SpacedriveCommand {
  static override paths = [['rebuild']];
  static override usage = Command.Usage({
    description: 'Drop the read models of the library and replay its log into them (all or nothing)',
    examples: [['Rebuild', '$0 rebuild']],
  });

  async run() {
    const started = performance.now();
    const { events } = await this.withLibrary(async (library) => library.rebuild());
    const seconds = (performance.now() - started) / 1000;
    this.out.result({ events, seconds }, () => `Rebuilt the read models from ${events} events in ${seconds.toFixed(2)} s`);
  }
}

export class VerifyCommand extends SpacedriveCommand {
  static override paths = [['verify']];
  static override usage = Command.Usage({
    description: 'Rebuild the read models into a scratch database, compare them with the live ones, and check the hash chains',
    details: 'Exits 2 when a table differs or a chain is broken.',
    examples: [['Verify', '$0 verify']],
  });

  async run() {
    const { report, chains } = await this.withLibrary(async (library) => ({ report: library.verify(), chains: await library.verifyChains() }));
    const equal = report.equal && chains.ok;
    this.out.result({ ...report, equal, chains }, () => [
      ...report.tables.map((t) =>
        t.equal
          ? `${this.out.paint('ok', 'green')}       ${t.name} (${t.liveRows} rows)`
          : `${this.out.paint('DIFFERS', 'red')}  ${t.name}: live ${t.liveRows} rows, rebuilt ${t.rebuiltRows} rows`,
      ),
      chains.ok
        ? `${this.out.paint('ok', 'green')}       hash chains (${chains.chains} chains, ${chains.checked} events)`
        : `${this.out.paint('BROKEN', 'red')}   hash chains: ${chains.breaks.map((b) => `#${b.position} ${b.device.slice(0, 8)}:${b.epoch}:${b.seq} ${b.reason}`).join('; ')}`,
      equal ? `The read models match a rebuild from ${report.events} events.` : 'Verification failed: run `spacedrive rebuild` and report this.',
    ]);
    return equal ? 0 : 2;
  }
}
