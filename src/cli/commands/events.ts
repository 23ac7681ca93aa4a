import { Command, Option } from 'clipanion';
import * as t from 'typanion';
import type { RecordedEvent } from '../../domain/envelope.js';
import { SpacedriveCommand } from '../base-command.js';

const PAGE = 1000;

export class EventsCommand extends SpacedriveCommand {
  static override paths = [['events']];
  static override usage = Command.Usage({
    description: 'Print the event log of the library, with the full envelope',
    details: 'With --json, one JSON object per line: {position, eventId, type, schemaVersion, streamId, streamVersion, origin, hlc, meta, data, prevHash, hash}.',
    examples: [
      ['The whole log', '$0 events'],
      ['The library stream from position 10, as JSON lines', '$0 events --stream library --from 10 --limit 5 --json'],
    ],
  });
  stream = Option.String('--stream', { description: 'Only this stream' });
  from = Option.String('--from', { description: 'First position (default 1)', validator: t.cascade(t.isNumber(), [t.isInteger(), t.isAtLeast(1)]) });
  limit = Option.String('--limit', { description: 'At most this many events', validator: t.cascade(t.isNumber(), [t.isInteger(), t.isAtLeast(1)]) });

  async run() {
    await this.withLibrary(async (library) => {
      let from = this.from ?? 1;
      let left = this.limit ?? Infinity;
      let printed = 0;
      while (left > 0) {
        const page = await library.readEvents({ fromPosition: from, limit: Math.min(PAGE, left), streamId: this.stream });
        for (const e of page) this.out.line(e, () => this.human(e));
        printed += page.length;
        if (page.length < Math.min(PAGE, left)) break;
        left -= page.length;
        from = page[page.length - 1].position + 1;
      }
      if (printed === 0 && !this.json && !this.quiet) this.context.stderr.write('no events\n');
    });
  }

  private human(e: RecordedEvent): string {
    const origin = `${e.origin.device.slice(0, 8)}:${e.origin.epoch}:${e.origin.seq}`;
    return `${this.out.paint(`#${e.position}`, 'bold')} ${e.hlc} ${e.streamId}@${e.streamVersion} ${e.type} ${this.out.paint(origin, 'dim')} ${JSON.stringify(e.data)}`;
  }
}
