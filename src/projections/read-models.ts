import { devicesProjection } from './devices/devices-projection.js';
import { jobsProjection } from './jobs/jobs-projection.js';
import { libraryProjection } from './library/library-projection.js';
import { locationsProjection } from './locations/locations-projection.js';
import type { Projection } from './projection.js';
import { validationProjection } from './validation/validation-projection.js';

/** Every read model of a library, in the order they fold. */
export const readModels: readonly Projection[] = [libraryProjection, devicesProjection, locationsProjection, jobsProjection, validationProjection];
