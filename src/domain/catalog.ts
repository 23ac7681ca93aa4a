import { EventCatalog } from './event-catalog.js';
import { libraryEvents } from './library/events.js';
import { deviceEvents } from './device/events.js';
import { jobEvents } from './job/events.js';
import { locationEvents } from './location/events.js';
import { validationEvents } from './validation/events.js';

/** The catalog of every event type in the domain. New aggregates add their definitions here. */
export const domainEvents = new EventCatalog([...libraryEvents, ...deviceEvents, ...jobEvents, ...locationEvents, ...validationEvents]);
