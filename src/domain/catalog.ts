import { EventCatalog } from './event-catalog.js';
import { libraryEvents } from './library/events.js';
import { deviceEvents } from './device/events.js';

/** The catalog of every event type in the domain. New aggregates add their definitions here. */
export const domainEvents = new EventCatalog([...libraryEvents, ...deviceEvents]);
