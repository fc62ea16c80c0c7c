import { Injectable } from '@nestjs/common';
import { AppError } from '../common/errors/app-error';
import { EventStream } from '../realtime/event-stream.service';
import { AccessDecisionService, DecisionRequest } from './access-decision.service';
import { DecisionResponse } from './door-protocol';

interface Waiting extends DecisionRequest {
  resolve(response: DecisionResponse): void;
  reject(error: unknown): void;
}

/**
 * Group commit for door decisions. A decision is a transaction (replay check, access event,
 * log entry, maybe a check-in), and the event log's chain head lets one transaction commit
 * at a time; so requests that arrive while a batch is committing wait and go together in
 * the next transaction. Alone, a request goes at once: batching costs nothing when quiet.
 */
@Injectable()
export class DoorDecisionQueue {
  /**
   * One. A second batch in flight would only wait on the chain head for the first one's
   * commit, then commit (and fsync) on its own; waiting here instead, it joins the next batch.
   * Measured at 1,000 decisions/s: p99 4.0-4.5 ms against 4.2-5.5 with two, less CPU per
   * decision, and more decisions per second at 32 in flight (~5,600 against ~5,200).
   */
  static readonly BATCHES_IN_FLIGHT = 1;
  static readonly MAX_BATCH = 200;

  private waiting: Waiting[] = [];
  private inFlight = 0;

  constructor(
    private readonly decisions: AccessDecisionService,
    private readonly stream: EventStream,
  ) {}

  decide(request: DecisionRequest): Promise<DecisionResponse> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ ...request, resolve, reject });
      this.startBatches();
    });
  }

  private startBatches(): void {
    while (this.inFlight < DoorDecisionQueue.BATCHES_IN_FLIGHT && this.waiting.length > 0) {
      const batch = this.waiting.splice(0, DoorDecisionQueue.MAX_BATCH);
      this.inFlight++;
      void this.run(batch).finally(() => {
        this.inFlight--;
        this.startBatches();
      });
    }
  }

  private async run(batch: Waiting[]): Promise<void> {
    let outcomes: Array<DecisionResponse | AppError>;
    try {
      outcomes = await this.decisions.decideAll(batch);
    } catch (error) {
      if (batch.length === 1) return batch[0].reject(error);
      // Whatever failed must fail only its own request: each again, in its own transaction.
      for (const request of batch) await this.run([request]);
      return;
    }
    this.stream.doorDecisionsRecorded();
    outcomes.forEach((outcome, i) => (outcome instanceof AppError ? batch[i].reject(outcome) : batch[i].resolve(outcome)));
  }
}
