import { EventCatalog } from './event-catalog.js';
import { libraryEvents } from './library/events.js';
import { deviceEvents } from './device/events.js';
import { jobEvents } from './job/events.js';
import { locationEvents } from './location/events.js';
import { volumeEvents } from './volume/events.js';
import { fileOperationEvents } from './fileops/events.js';
import { tagEvents } from './tag/events.js';
import { metadataEvents } from './metadata/events.js';
import { validationEvents } from './validation/events.js';

/** The catalog of every event type in the domain. New aggregates add their definitions here. */
export const domainEvents = new EventCatalog([
  ...libraryEvents, ...deviceEvents, ...jobEvents, ...locationEvents, ...volumeEvents, ...fileOperationEvents, ...tagEvents, ...metadataEvents,
  ...validationEvents,
]);
