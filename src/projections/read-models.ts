import { auditProjection } from './audit/audit-projection.js';
import { devicesProjection } from './devices/devices-projection.js';
import { jobsProjection } from './jobs/jobs-projection.js';
import { libraryProjection } from './library/library-projection.js';
import { indexHistoryProjection } from './locations/index-history-projection.js';
import { locationsProjection } from './locations/locations-projection.js';
import { metadataProjection } from './metadata/metadata-projection.js';
import type { Projection } from './projection.js';
import { volumesProjection } from './volumes/volumes-projection.js';
import { tagsProjection } from './tags/tags-projection.js';
import { validationProjection } from './validation/validation-projection.js';

/** Every read model of a library, in the order they fold. */
export const readModels: readonly Projection[] = [
  libraryProjection, devicesProjection, locationsProjection, jobsProjection, volumesProjection, auditProjection, tagsProjection, metadataProjection,
  validationProjection, indexHistoryProjection,
];
