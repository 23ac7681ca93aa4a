import type { DeleteMode } from '../../domain/fileops/events.js';
import type { JobDefinition, JobRuntime } from '../jobs/job-runtime.js';
import type { StartedJob } from '../locations/locations.js';
import type { DeleteInput } from './delete-job.js';
import { planDelete, planTransfer, requireFeasible, type DeletePlan, type PlanGuards, type TransferPlan, type TransferRequest } from './plan.js';
import type { FileOperationsFs } from './ports.js';
import type { TransferInput } from './transfer-job.js';

export interface DeleteRequest {
  paths: string[];
  mode: DeleteMode;
  /** `--yes`: permanent and secure deletes cannot be undone. */
  confirmed: boolean;
}

/** Copy, move and delete: previewed (nothing appended), refused up front when they cannot succeed, run as jobs. */
export class Files {
  constructor(
    private readonly jobs: JobRuntime,
    private readonly fs: FileOperationsFs,
    private readonly transferJob: JobDefinition<TransferInput>,
    private readonly deleteJob: JobDefinition<DeleteInput>,
    private readonly newId: () => string,
    private readonly guards: PlanGuards,
  ) {}

  planTransfer(request: TransferRequest): Promise<TransferPlan> {
    return planTransfer(this.fs, request, this.guards);
  }

  planDelete(request: DeleteRequest): Promise<DeletePlan> {
    return planDelete(this.fs, { paths: request.paths, mode: request.mode, confirmed: request.confirmed }, this.guards);
  }

  async transfer(request: TransferRequest): Promise<{ plan: TransferPlan; job: StartedJob }> {
    const plan = await this.planTransfer(request);
    requireFeasible(plan);
    const actionId = this.newId();
    const input: TransferInput = {
      action: request.action,
      sources: plan.items.map((i) => i.source),
      targets: plan.items.map((i) => i.target),
      methods: plan.items.map((i) => i.method),
      strategies: plan.items.map((i) => i.strategy),
      skipped: plan.items.map((i) => i.conflict?.resolution === 'skip'),
      bytes: plan.items.map((i) => i.bytes),
      overwrite: request.overwrite,
      verify: request.verify,
      preserveTimestamps: request.preserveTimestamps,
      sync: request.sync,
      totalBytes: plan.bytes,
      totalFiles: plan.files,
    };
    const job = await this.jobs.start(this.transferJob, input, { actionId, correlationId: actionId, commandKind: `file.${request.action}` });
    return { plan, job };
  }

  async delete(request: DeleteRequest): Promise<{ plan: DeletePlan; job: StartedJob }> {
    const plan = await this.planDelete(request);
    requireFeasible(plan);
    const actionId = this.newId();
    const input: DeleteInput = { paths: plan.items.map((i) => i.path), mode: request.mode, totalBytes: plan.bytes };
    const job = await this.jobs.start(this.deleteJob, input, { actionId, correlationId: actionId, commandKind: 'file.delete' });
    return { plan, job };
  }
}
