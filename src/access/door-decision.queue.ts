import { Injectable } from '@nestjs/common';
import { AppError } from '../common/errors/app-error';
import { AccessDecisionService, DecisionRequest } from './access-decision.service';
import { DecisionResponse } from './door-protocol';

interface Waiting extends DecisionRequest {
  resolve(response: DecisionResponse): void;
  reject(error: unknown): void;
}

/**
 * Group commit for door decisions. A decision is a transaction (replay check, access event,
 * log entry, maybe a check-in), and the event log's chain head lets one transaction commit
 * at a time; so requests that arrive while batches are committing wait and go together in
 * the next transaction. Alone, a request goes at once: batching costs nothing when quiet.
 */
@Injectable()
export class DoorDecisionQueue {
  /** Two: one batch reads while the other holds the chain head to commit. */
  static readonly BATCHES_IN_FLIGHT = 2;
  static readonly MAX_BATCH = 200;

  private waiting: Waiting[] = [];
  private inFlight = 0;

  constructor(private readonly decisions: AccessDecisionService) {}

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
    outcomes.forEach((outcome, i) => (outcome instanceof AppError ? batch[i].reject(outcome) : batch[i].resolve(outcome)));
  }
}
