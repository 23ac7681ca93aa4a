// A process that dies (SIGKILL, by its own hand) right after an append of the event type named, committed: the
// state a kill -9 leaves between an index job's append and its next checkpoint, every time, not by timing.
// Usage: node die-after-append.js <data-dir> <folder> <modes, comma-separated> <event type> [nth append holding it]
// Every mode but the last indexes the folder to the end (a location add, then rescans); the last one dies.
import { openCore } from '../../src/infra/container.js';
import type { IndexMode } from '../../src/domain/location/events.js';

const [dataDir, folder, modeList, eventType, nth = '1'] = process.argv.slice(2);
let seen = 0;
const modes = modeList.split(',') as IndexMode[];
const core = await openCore({ dataDir });
const library = await core.libraries.open();
let location = null;
for (let i = 0; i < modes.length; i++) {
  if (i === modes.length - 1) {
    library.subscribe((events) => {
      if (events.some((e) => e.type === eventType) && ++seen >= Number(nth)) process.kill(process.pid, 'SIGKILL');
    });
  }
  const started = location
    ? await library.locations.index(library.locations.byId(location)!, { mode: modes[i] })
    : await library.locations.add({ path: folder, mode: modes[i] }).then((r) => ((location = r.location.id), r.job));
  await started.done;
}
console.error(`the job ended before any ${eventType} was appended`);
process.exit(3);
